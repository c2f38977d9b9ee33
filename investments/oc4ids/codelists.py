"""OC4IDS 0.9.5 codes the mapping uses, and the portfolio's choices mapped onto them.

Copied from the official codelists (schema/project-level/codelists/*.csv of
open-contracting/infrastructure, 0.9.5), so that the export needs no network and no
copy of the standard at run time. `tests/investments/test_oc4ids_export.py` checks
them against the copy of the standard pinned in investments/oc4ids/schema.
"""

import csv
from pathlib import Path

from investments.models import InvestmentProject

Readiness = InvestmentProject.Readiness
Status = InvestmentProject.Status

# projectStatus is CLOSED: identification, preparation, implementation, completion,
# maintenance, decommissioning, decommissioned, cancelled. (There is no "completed".)
PROJECT_STATUSES = (
    "identification",
    "preparation",
    "implementation",
    "completion",
    "maintenance",
    "decommissioning",
    "decommissioned",
    "cancelled",
)

# projectType is CLOSED.
PROJECT_TYPES = (
    "construction",
    "rehabilitation",
    "replacement",
    "expansion",
    "decommissioning",
)

# projectSector is open, but these are its codes.
PROJECT_SECTORS = (
    "education",
    "health",
    "energy",
    "energy.solar",
    "energy.wind",
    "energy.hydropower",
    "energy.biomass",
    "energy.geothermal",
    "communications",
    "waterAndWaste",
    "governance",
    "economy",
    "cultureSportsAndRecreation",
    "transport",
    "transport.air",
    "transport.water",
    "transport.rail",
    "transport.road",
    "transport.urban",
    "transport.lowCarbon",
    "socialHousing",
    "naturalResources",
    "naturalResources.floodProtection",
)

# Readiness (the portfolio's 8 stages) onto the projectStatus phases.
READINESS_TO_STATUS = {
    Readiness.IDEA: "identification",
    Readiness.CONCEPT: "identification",
    Readiness.PRE_FEASIBILITY: "preparation",
    Readiness.FEASIBILITY: "preparation",
    Readiness.DESIGN: "preparation",
    Readiness.READY_FOR_PROCUREMENT: "preparation",
    Readiness.IMPLEMENTATION: "implementation",
    Readiness.COMPLETED: "completion",
}
# The workflow status wins over readiness where it says more.
STATUS_TO_STATUS = {
    Status.IN_IMPLEMENTATION: "implementation",
    Status.COMPLETED: "completion",
    Status.WITHDRAWN: "cancelled",
}
# Back again (import): the readiness a phase starts with, and the workflow status a
# published project in that phase has.
STATUS_TO_READINESS = {
    "identification": Readiness.CONCEPT,
    "preparation": Readiness.FEASIBILITY,
    "implementation": Readiness.IMPLEMENTATION,
    "completion": Readiness.COMPLETED,
    "maintenance": Readiness.COMPLETED,
    "decommissioning": Readiness.COMPLETED,
    "decommissioned": Readiness.COMPLETED,
    "cancelled": None,
}
STATUS_TO_WORKFLOW = {
    "implementation": Status.IN_IMPLEMENTATION,
    "completion": Status.COMPLETED,
    "maintenance": Status.COMPLETED,
    "decommissioning": Status.COMPLETED,
    "decommissioned": Status.COMPLETED,
    "cancelled": Status.WITHDRAWN,
}

# Our instruments onto financingArrangementType (CLOSED: bond, loan, hybrid,
# shares.listed, shares.unlisted, grant, guarantee); PPP has no code there.
INSTRUMENT_TO_FINANCE_TYPE = {
    "grant": "grant",
    "loan": "loan",
    "equity": "shares.unlisted",
    "donor": "grant",
}

SCHEMA_DIR = Path(__file__).parent / "schema" / "0__9__5"


def _codes(name: str) -> tuple[str, ...]:
    """The codes of one of the pinned official codelists (schema/0__9__5/codelists)."""
    with (SCHEMA_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8") as handle:
        return tuple(row["Code"] for row in csv.DictReader(handle))


# Value.currency is the closed ISO 4217 codelist: a project keeps any of them (the
# portfolio converts only where a dated exchange rate exists, see investments.money).
CURRENCIES = frozenset(_codes("currency"))

# Identifier schemes and classification schemes of this publisher.
EDR_SCHEME = "UA-EDR"  # org-id.guide: Ukraine's Unified State Register (EDRPOU)
KATOTTG_SCHEME = "UA-KATOTTG"  # locationGazetteers is open
DREAM_SCHEME = "UA-DREAM"  # DREAM, the Digital Restoration Ecosystem (dream.gov.ua)
PROZORRO_OCID_PREFIX = "ocds-be6bcu-"  # Prozorro's registered OCDS prefix
SDG_SCHEME = "sdg"  # classificationScheme code
INSTRUMENT_SCHEME = "mist-instrument"
STRATEGY_AREA_SCHEME = "mist-strategy-area"
KVED_SCHEME = "UA-KVED-2010"
TAG_SCHEME = "mist-tag"
DOCUMENT_TYPES = frozenset(
    {
        "plannedProcurementNotice",
        "tenderNotice",
        "awardNotice",
        "contractNotice",
        "completionCertificate",
        "procurementPlan",
        "biddingDocuments",
        "technicalSpecifications",
        "evaluationCriteria",
        "evaluationReports",
        "contractDraft",
        "contractSigned",
        "contractArrangements",
        "physicalProgressReport",
        "financialProgressReport",
        "hearingNotice",
        "marketStudies",
        "eligibilityCriteria",
        "clarifications",
        "shortlistedFirms",
        "environmentalImpact",
        "assetAndLiabilityAssessment",
        "riskProvisions",
        "winningBid",
        "complaints",
        "contractAnnexe",
        "contractGuarantees",
        "subContract",
        "feasibilityStudy",
        "projectPlan",
        "billOfQuantity",
        "bidders",
        "conflictOfInterest",
        "debarments",
        "illustration",
        "submissionDocuments",
        "contractSummary",
        "cancellationDetails",
        "valueForMoneyAnalysis",
        "serviceDescription",
        "estimatedDemand",
        "evaluationCommittee",
        "requestForQualification",
        "minutes",
        "negotiationParameters",
        "defaultEvents",
        "termination",
        "performanceReport",
        "needsAssessment",
        "socialImpact",
        "landAndSettlementImpact",
        "projectScope",
        "resettlementPlan",
        "projectEvaluation",
        "budgetApproval",
        "budgetAmendmentApproval",
        "financialAgreement",
        "financialAuditReport",
        "technicalAuditReport",
        "qualityAssuranceReport",
        "incorporationCertificate",
        "contractAmendment",
        "designReport",
        "paymentCertificate",
        "escalationApproval",
        "climateMeasures",
        "conservationMeasures",
        "environmentalMeasures",
        "policyAlignment",
        "procurementStrategyRiskAssessment",
        "lifeCycleCostMethodology",
        "costBenefitAnalysis",
        "environmentalExemption",
        "climateAndDisasterRiskAssessment",
        "climateTransformation",
        "decommissioningPlans",
        "impactMethodology",
        "inclusiveDesign",
        "inclusiveImplementation",
        "supplierEnvironmentalCertification",
        "supplierHealthAndSafetyCertification",
        "antiCorruptionCertification",
        "oversightReport",
        "informationRequest",
        "informationRequestResponse",
        "buildingInspectionReport",
        "ghgEmissionsForecast",
        "ghgEmissionsReduction",
        "ghgEmissions",
        "abatementCostMethodology",
        "minutes.lobbyingMeeting",
        "minutes.consultationMeeting",
        "consultationMeetingInvitation",
        "materialTestResults",
        "maintenancePlan",
    }
)
