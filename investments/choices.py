"""Code lists of the investments app (OC4IDS codelists, Smart City areas, SDGs).

Labels are English msgids; the Ukrainian ones come from the catalogue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StrategyArea(models.TextChoices):
    SMART_MOBILITY = "smart_mobility", _("Smart mobility")
    ENERGY_EFFICIENCY = "energy_efficiency", _("Energy efficiency")
    DIGITAL_SERVICES = "digital_services", _("Digital services and e-government")
    SAFETY = "safety", _("Safety and security")
    ENVIRONMENT = "environment", _("Environment")
    HEALTHCARE = "healthcare", _("Healthcare")
    EDUCATION = "education", _("Education")
    HOUSING_UTILITIES = "housing_utilities", _("Housing and utilities")
    RECONSTRUCTION = "reconstruction", _("Reconstruction")


class ProjectType(models.TextChoices):
    """OC4IDS projectType (closed codelist)."""

    CONSTRUCTION = "construction", _("Construction")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    REPLACEMENT = "replacement", _("Replacement")
    EXPANSION = "expansion", _("Expansion")
    DECOMMISSIONING = "decommissioning", _("Decommissioning")


class Instrument(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    EQUITY = "equity", _("Equity")
    PPP = "ppp", _("PPP or concession")
    DONOR = "donor", _("Donor programme")


class Currency(models.TextChoices):
    UAH = "UAH", "UAH"
    USD = "USD", "USD"
    EUR = "EUR", "EUR"


# OC4IDS projectSector (open codelist, 0.9.5): code -> label.
PROJECT_SECTORS = {
    "education": _("Education"),
    "health": _("Health"),
    "energy": _("Energy"),
    "energy.solar": _("Solar energy"),
    "energy.wind": _("Wind energy"),
    "energy.hydropower": _("Hydropower energy"),
    "energy.biomass": _("Biomass energy"),
    "energy.geothermal": _("Geothermal energy"),
    "communications": _("Communications"),
    "waterAndWaste": _("Water and waste"),
    "governance": _("Governance"),
    "economy": _("Economy"),
    "cultureSportsAndRecreation": _("Culture, sports and recreation"),
    "transport": _("Transport"),
    "transport.air": _("Air transport"),
    "transport.water": _("Water transport"),
    "transport.rail": _("Rail transport"),
    "transport.road": _("Road transport"),
    "transport.urban": _("Urban transport"),
    "transport.lowCarbon": _("Low-carbon transport"),
    "socialHousing": _("Social housing"),
    "naturalResources": _("Natural resources"),
    "naturalResources.floodProtection": _("Flood protection"),
}
SECTOR_CHOICES = list(PROJECT_SECTORS.items())

SDGS = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}
SDG_CHOICES = [(number, f"{number}. {name}") for number, name in SDGS.items()]

# OC4IDS documentType codes an officer picks from (the full list is open; these are the
# ones a city's investment project uses).
DOCUMENT_TYPES = {
    "projectPlan": _("Project plan"),
    "projectScope": _("Project scope"),
    "needsAssessment": _("Needs assessment"),
    "feasibilityStudy": _("Feasibility study"),
    "valueForMoneyAnalysis": _("Value for money analysis"),
    "environmentalImpact": _("Environmental impact"),
    "socialImpact": _("Social impact assessment"),
    "technicalSpecifications": _("Technical specifications"),
    "billOfQuantity": _("Bill of quantity"),
    "budgetApproval": _("Budget approval"),
    "procurementPlan": _("Procurement plan"),
    "biddingDocuments": _("Bidding documents"),
    "marketStudies": _("Market studies"),
    "estimatedDemand": _("Estimated demand"),
    "illustration": _("Illustrations"),
    "physicalProgressReport": _("Physical progress reports"),
    "financialProgressReport": _("Financial progress reports"),
    "contractSigned": _("Signed contract"),
    "completionCertificate": _("Completion certificate"),
    "projectEvaluation": _("Project evaluation"),
}
DOCUMENT_TYPE_CHOICES = list(DOCUMENT_TYPES.items())
