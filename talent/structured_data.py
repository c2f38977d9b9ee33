"""schema.org JobPosting JSON-LD for a public role's page (public facts only)."""

from core import jsonld
from talent.models import Role


def role_jsonld(role: Role, *, absolute) -> dict:
    """The role as a JobPosting; `absolute` makes a path a full address."""
    data = {
        "@context": jsonld.CONTEXT,
        "@type": "JobPosting",
        "title": role.title_en or role.title_uk,
        "description": role.description_en or role.description_uk,
        "datePosted": (role.published_at or role.created_at).date().isoformat(),
        "validThrough": role.valid_until.isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": role.organization.name_en or role.organization.name_uk,
            "sameAs": absolute(role.organization.get_absolute_url()),
        },
        "skills": ", ".join(tag.name_en for tag in role.skills.all()),
        "url": absolute(role.get_absolute_url()),
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": role.organization.country.code,
            },
        },
    }
    if role.work_mode == Role.WorkMode.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
    if role.salary_min or role.salary_max:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": role.salary_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": role.salary_min,
                "maxValue": role.salary_max,
                "unitText": "MONTH",
            },
        }
    return data
