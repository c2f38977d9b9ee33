"""Directory search: the text an organization is found by, and matching a query."""


def build_search_fields(organization) -> tuple[str, str]:
    """(search_document, search_names) for an organization, computed from its fields."""
    names = " ".join(filter(None, [organization.name_uk, organization.name_en])).lower()
    text = " ".join(
        filter(None, [names, organization.description_uk, organization.description_en])
    ).lower()
    return text, names
