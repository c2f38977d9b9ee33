"""The header's "My Mist" menu offers each role the pages its app lets it open
(core.context_processors.menu asks the apps' predicates named in MIST_MENU)."""

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db

ROLE_PAGES = [
    "reviews:my-reviews",
    "investments:my-interests",
    "investments:pipeline",
    "investments:dashboard",
    "reviews:call-list",
    "directory:moderation-queue",
    "matching:moderation-queue",
    "directory:import-list",
    "accounts:invitation-list",
    "accounts:user-list",
]
STAFF_PAGES = {
    "investments:pipeline",
    "investments:dashboard",
    "reviews:call-list",
    "directory:moderation-queue",
    "matching:moderation-queue",
    "directory:import-list",
    "accounts:invitation-list",
}
OFFERED = {
    Role.EDITOR: set(),
    Role.REVIEWER: {"reviews:my-reviews"},
    Role.INVESTOR: {"investments:my-interests"},
    Role.CITY_OFFICER: {"investments:pipeline", "investments:dashboard"},
    Role.STAFF: STAFF_PAGES,
    Role.ADMIN: STAFF_PAGES | {"accounts:user-list"},
}


@pytest.mark.parametrize("role", list(OFFERED))
def test_the_menu_offers_each_role_its_pages(client, user_with_role, role):
    client.force_login(user_with_role(role))

    page = client.get(reverse("core:home")).content.decode()

    offered = {name for name in ROLE_PAGES if f'href="{reverse(name)}"' in page}
    assert offered == OFFERED[role]
    # One divider before each group shown, none before a group left out.
    groups = [
        {"investments:pipeline", "investments:dashboard"},
        STAFF_PAGES
        - {"investments:pipeline", "investments:dashboard"}
        - {"accounts:invitation-list"},
    ]
    dividers = 1 + sum(bool(group & offered) for group in groups)
    assert page.count('class="dropdown-divider"') == dividers


def test_anonymous_visitors_get_no_menu(client):
    page = client.get(reverse("core:home")).content.decode()

    assert not any(f'href="{reverse(name)}"' in page for name in ROLE_PAGES)
    assert "dropdown-divider" not in page
