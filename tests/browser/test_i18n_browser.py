"""In a real browser, in French and in Spanish: sign in, enter a figure, read the dashboard,
and switch language with the menu. Screenshots of the entry page and the dashboard in each
language go to test-results/screenshots/i18n/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from offices.models import UserProfile
from tests.i18n.catalogues import messages_compiled

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots" / "i18n"


@pytest.fixture
def french_page(browser, live_server):
    """A page whose browser asks for French (Accept-Language: fr-FR)."""
    messages_compiled()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_i18n_browser_french_sign_in_entry_and_dashboard(french_page, kenya_world):
    page = french_page
    indicator = kenya_world["indicator"]
    prefix = f"r{indicator.pk}"
    # given a French browser on the sign-in page
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Se connecter")).to_be_visible()
    # when field staff sign in
    page.get_by_label("Nom d'utilisateur").fill("field")
    page.get_by_label("Mot de passe").fill("pass")
    page.get_by_role("button", name="Se connecter").click()
    # then the home page is in French, and My reporting too
    expect(page.get_by_role("heading", name="Bienvenue, ", exact=False)).to_be_visible()
    page.get_by_role("link", name="Mes rapports").first.click()
    expect(page.get_by_role("heading", name="Mes rapports")).to_be_visible()
    # when they enter Kenya's figure and save the draft
    page.locator(f"#id_{prefix}-value").fill("25")
    page.locator(f"#id_{prefix}-dis_sex_female").fill("15")
    page.locator(f"#id_{prefix}-dis_sex_male").fill("10")
    page.get_by_role("button", name="Enregistrer les brouillons").first.click()
    expect(page.get_by_role("alert").first).to_contain_text("1 mise à jour enregistrée.")
    expect(page.locator(f"#row-{indicator.pk}")).to_contain_text("Brouillon")
    _shot(page, "entry_fr.png")
    # and the dashboard speaks French, framework wording included
    page.get_by_role("link", name="Tableaux de bord").first.click()
    expect(page.get_by_role("heading", name="Où en est la stratégie")).to_be_visible()
    expect(page.locator("main")).to_contain_text("La mobilité humaine est de plus en plus un choix")
    _shot(page, "dashboard_fr.png")


def test_i18n_browser_spanish_through_the_language_menu(browser_page, sign_in, kenya_world):
    messages_compiled()
    page = browser_page
    indicator = kenya_world["indicator"]
    prefix = f"r{indicator.pk}"
    # given field staff signed in, in English
    sign_in(page, "field")
    # when they choose Español in the language menu
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    # then the page comes back in Spanish, and their profile remembers it
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    assert UserProfile.objects.get(user=kenya_world["users"]["field"]).language == "es"
    # and entry works in Spanish
    page.get_by_role("link", name="Mis informes").first.click()
    expect(page.get_by_role("heading", name="Mis informes")).to_be_visible()
    page.locator(f"#id_{prefix}-value").fill("25")
    page.locator(f"#id_{prefix}-dis_sex_female").fill("15")
    page.locator(f"#id_{prefix}-dis_sex_male").fill("10")
    page.get_by_role("button", name="Presentar A.i.1").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Se presentó 1 actualización para revisión."
    )
    _shot(page, "entry_es.png")
    # and the dashboard is in Spanish
    page.get_by_role("link", name="Paneles").first.click()
    expect(page.get_by_role("heading", name="Situación de la estrategia")).to_be_visible()
    expect(page.locator("main")).to_contain_text("La movilidad humana es cada vez más una opción")
    _shot(page, "dashboard_es.png")
    # and signing in again elsewhere (a fresh browser, English) keeps Spanish
    sign_in(page, "field")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
