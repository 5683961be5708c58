"""The clinic's pages: where editors may create them, and what patients see on them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from clinic.models import (
    ContactPage,
    HomePage,
    ServiceIndexPage,
    ServicePage,
    ServicePageArticle,
    StandardPage,
    TeamPage,
    visible,
)
from tests.factories import (
    BlogIndexPageFactory,
    BlogPostPageFactory,
    PatientTestimonialFactory,
    ServicePageFactory,
    StandardPageFactory,
    TherapistFactory,
    clinic_settings,
    default_site,
)


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


class TestPageCreationRules(WagtailPageTestCase):
    def test_conditions_live_in_the_one_conditions_section(self):
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServicePage, set())
        self.assertAllowedParentPageTypes(ServiceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, {ServicePage})
        self.assertCanNotCreateAt(HomePage, ServicePage)
        self.assertCanNotCreateAt(StandardPage, ServicePage)

    def test_team_and_contact_pages_sit_under_the_home_page(self):
        for model in (TeamPage, ContactPage):
            self.assertAllowedParentPageTypes(model, {HomePage})
            self.assertAllowedSubpageTypes(model, set())

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanNotCreateAt(StandardPage, TeamPage)

    def test_there_is_one_home_page_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        home = default_site().root_page.specific
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertTrue(home.live)

    def test_sections_exist_once(self):
        home = default_site().root_page.specific
        for model in (ServiceIndexPage, TeamPage, ContactPage):
            self.assertTrue(model.can_create_at(home))
            home.add_child(instance=model(title=model._meta.verbose_name))
            self.assertFalse(model.can_create_at(home), model)

    def test_an_editor_can_create_a_standard_page_in_the_admin(self):
        self.login()
        home = default_site().root_page.specific
        data = nested_form_data(
            {
                "title": "Insurance and costs",
                "slug": "insurance",
                "intro": "What visits cost.",
                "body": rich_text("<p>We work with most health plans.</p>"),
            }
        )
        self.assertCanCreate(home, StandardPage, data)
        page = StandardPage.objects.get(slug="insurance")
        self.assertTrue(page.live)
        self.assertIn("most health plans", self.client.get(page.url).content.decode())

    def test_an_editor_can_create_a_condition_with_related_articles(self):
        self.login()
        home = default_site().root_page.specific
        conditions = home.add_child(instance=ServiceIndexPage(title="Conditions we treat"))
        article = StandardPageFactory(parent=home, title="Five myths about sciatica")
        data = nested_form_data(
            {
                "title": "Sciatica",
                "slug": "sciatica",
                "summary": "Pain down one leg.",
                "body": rich_text("<p>How we help.</p>"),
                "related_articles": inline_formset([{"article": article.pk}]),
            }
        )
        self.assertCanCreate(conditions, ServicePage, data)
        sciatica = ServicePage.objects.get(slug="sciatica")
        self.assertEqual(
            [link.article_id for link in sciatica.related_articles.all()], [article.pk]
        )

    def test_every_clinic_page_type_renders_and_is_editable(self):
        home = default_site().root_page.specific
        conditions = home.add_child(instance=ServiceIndexPage(title="Conditions we treat"))
        pages = [
            home,
            conditions,
            ServicePageFactory(parent=conditions),
            home.add_child(instance=TeamPage(title="Our team")),
            home.add_child(instance=ContactPage(title="Contact")),
            StandardPageFactory(parent=home),
        ]
        for page in pages:
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page)


@pytest.mark.parametrize("page_name", ["home", "conditions", "sciatica", "team", "contact"])
def test_every_page_has_one_h1_landmarks_and_a_skip_link(client, clinic, page_name):
    soup = soup_of(client.get(clinic[page_name].url))
    assert len(soup.find_all("h1")) == 1
    assert soup.select_one("a.skip-link")["href"] == "#main"
    assert soup.select_one("main#main")
    assert soup.select_one("header.site-header") and soup.select_one("footer.site-footer")
    assert soup.select_one('nav[aria-label="Main"]')


def test_main_menu_lists_live_pages_marked_show_in_menus(client, clinic):
    home = clinic["home"]
    StandardPageFactory(parent=home, title="About us", show_in_menus=True)
    StandardPageFactory(parent=home, title="Privacy notice", show_in_menus=False)
    draft = StandardPageFactory(parent=home, title="Coming soon", show_in_menus=True)
    draft.unpublish()

    menu = soup_of(client.get("/")).select_one('nav[aria-label="Main"]')
    assert [a.text for a in menu.select("a")] == [
        "Conditions we treat",
        "Our team",
        "Contact",
        "About us",
    ]


def test_main_menu_marks_the_current_page_and_its_section(client, clinic):
    menu = soup_of(client.get(clinic["team"].url)).select_one('nav[aria-label="Main"]')
    assert menu.select_one('a[aria-current="page"]').text == "Our team"

    menu = soup_of(client.get(clinic["sciatica"].url)).select_one('nav[aria-label="Main"]')
    assert menu.select('a[aria-current="page"]') == []
    assert menu.select_one("a.is-section").text == "Conditions we treat"


def test_breadcrumbs_lead_back_home(client, clinic):
    crumbs = soup_of(client.get(clinic["sciatica"].url)).select_one('nav[aria-label="Breadcrumb"]')
    assert [(a.text, a["href"]) for a in crumbs.select("a")] == [
        ("Home", "/"),
        ("Conditions we treat", "/conditions/"),
    ]
    assert crumbs.select_one('[aria-current="page"]').text == "Sciatica"


def test_home_page_shows_conditions_team_and_consented_testimonials(client, clinic):
    TherapistFactory(name="Maya Okafor", team_page=clinic["team"])
    TherapistFactory(name="Former Colleague", is_active=False)
    PatientTestimonialFactory(quote="Back to gardening.", patient_name="Linda R.")
    PatientTestimonialFactory(quote="Not agreed yet.", has_consent=False)
    PatientTestimonialFactory(quote="Only for the service page.", show_on_home_page=False)

    soup = soup_of(client.get("/"))
    services = soup.find(id="services-heading").find_parent("section")
    assert [a.text for a in services.select(".card a")] == ["Sciatica"]
    assert services.select_one(".card a")["href"] == "/conditions/sciatica/"

    team = soup.find(id="team-heading").find_parent("section")
    assert [h.get_text(strip=True) for h in team.select(".person__name")] == [
        "Maya Okafor, PT, DPT"
    ]
    assert team.select_one(".person__name a")["href"] == "/team/#therapist-maya-okafor"
    assert team.find("a", string="Meet the whole team")["href"] == "/team/"

    quotes = [q.text for q in soup.select(".testimonial blockquote")]
    assert [q.strip() for q in quotes] == ["Back to gardening."]


def test_home_page_lists_the_newest_articles_once_the_articles_page_is_chosen(client, clinic):
    home = clinic["home"]
    blog = BlogIndexPageFactory(parent=home)
    for day, title in enumerate(["Oldest", "Older", "Newer", "Newest"]):
        BlogPostPageFactory(
            parent=blog, title=title, date_published=datetime.date(2026, 1, 1 + day)
        )
    BlogPostPageFactory(
        parent=blog, title="Draft", date_published=datetime.date(2026, 2, 1), publish=False
    )

    assert soup_of(client.get("/")).find(id="articles-heading") is None

    home.articles_page = blog
    home.save_revision().publish()
    section = soup_of(client.get("/")).find(id="articles-heading").find_parent("section")
    assert section.find(id="articles-heading").text == "Latest articles"
    assert [a.text for a in section.select(".post-card__title a")] == ["Newest", "Newer", "Older"]
    assert "January 4, 2026" in section.text
    assert section.select_one('a[href="/blog/"]').text == "All articles from our therapists"


def test_service_page_links_live_related_articles_in_the_editors_order(client, clinic):
    home, sciatica = clinic["home"], clinic["sciatica"]
    first = StandardPageFactory(parent=home, title="Sleeping with sciatica")
    second = StandardPageFactory(parent=home, title="Sciatica myths")
    unpublished = StandardPageFactory(parent=home, title="Not ready", live=False)
    for order, article in enumerate([second, first, unpublished]):
        ServicePageArticle.objects.create(service=sciatica, article=article, sort_order=order)
    PatientTestimonialFactory(service=sciatica, quote="I sleep through the night again.")

    soup = soup_of(client.get(sciatica.url))
    related = soup.find(id="related-heading").find_parent("section")
    assert [(a.text, a["href"]) for a in related.select("a")] == [
        ("Sciatica myths", second.url),
        ("Sleeping with sciatica", first.url),
    ]
    assert "I sleep through the night again." in soup.select_one(".testimonial").text
    assert soup.h1.text == "Sciatica"


def test_team_page_introduces_every_active_therapist(client, clinic):
    TherapistFactory(
        name="Maya Okafor", credentials="PT, DPT, OCS", bio="Back pain specialist.", sort_order=1
    )
    TherapistFactory(name="Daniel Reyes", sort_order=0)
    TherapistFactory(name="Gone Away", is_active=False)

    soup = soup_of(client.get(clinic["team"].url))
    members = soup.select("li.team__member")
    assert [m["id"] for m in members] == ["therapist-daniel-reyes", "therapist-maya-okafor"]
    assert members[1].h2.text == "Maya Okafor, PT, DPT, OCS"
    assert "Back pain specialist." in members[1].text
    assert "Gone Away" not in soup.text


def test_therapist_profile_link_points_at_their_team_page_section(clinic):
    therapist = TherapistFactory(name="Hannah Lindqvist", team_page=clinic["team"])
    assert therapist.profile_url == "/team/#therapist-hannah-lindqvist"
    clinic["team"].unpublish()
    therapist.team_page.refresh_from_db()
    assert therapist.profile_url == ""


def test_contact_page_shows_locations_hours_closures_phone_and_booking(client, clinic):
    from clinic.models import HolidayClosure, Location

    location = Location.objects.get()
    location.access_notes = "Free parking behind the building."
    location.save()
    next_year = datetime.date.today().year + 1
    HolidayClosure.objects.create(
        location=location, reason="New Year's Day", starts_on=datetime.date(next_year, 1, 1)
    )
    HolidayClosure.objects.create(
        location=location, reason="Long gone", starts_on=datetime.date(2020, 7, 4)
    )

    contact = clinic["contact"]
    soup = soup_of(client.get(contact.url))
    section = soup.find(id=f"location-{location.pk}").find_parent("section")
    assert "1 Main Street" in section.address.text
    map_link = section.select_one('a[href="https://osm.example/x"]')
    assert map_link.text == "Open in a map (opens in a new tab)"
    hours = {dt.text: dt.find_next_sibling("dd").text for dt in section.select(".hours dt")}
    assert hours["Monday"] == "8:00 AM \u2013 5:00 PM"
    assert hours["Sunday"] == "Closed"
    assert "Free parking behind the building." in section.text
    closures = [li.text for li in section.select(".closures li")]
    assert closures == [f"New Year's Day: closed {datetime.date(next_year, 1, 1):%A, %B} 1"]
    assert soup.select_one('.contact-way a[href="tel:+13605550142"]')
    assert soup.select_one('.contact-way a[data-cta="book"]')["href"] == (
        f"/book/?from={contact.pk}"
    )


@pytest.mark.parametrize("page_name", ["home", "sciatica", "team", "contact"])
def test_page_queries_do_not_grow_with_content(client, clinic, page_name):
    """The number of queries stays put as conditions, people and quotes are added."""
    page = clinic[page_name]

    def queries():
        # Every cache empty each time (adding content empties some): the render's own count.
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page.url).status_code == 200
        return len(captured)

    def add_content():
        ServicePageFactory(parent=clinic["conditions"])
        TherapistFactory(team_page=clinic["team"])
        PatientTestimonialFactory(service=clinic["sciatica"])

    add_content()
    before = queries()
    for _ in range(4):
        add_content()
    assert queries() == before


def test_an_article_links_back_to_the_conditions_that_recommend_it(rf, clinic):
    article = StandardPageFactory(parent=clinic["home"], title="Sleeping with sciatica")
    other = StandardPageFactory(parent=clinic["home"], title="Unrelated")
    ServicePageArticle.objects.create(service=clinic["sciatica"], article=article)
    template = Template("{% load clinic_tags %}{% related_services page %}")

    html = template.render(Context({"page": article, "request": rf.get(article.url)}))
    aside = BeautifulSoup(html, "html.parser").select_one("aside.related-services")
    assert aside.h2.text == "How we can help"
    link = aside.select_one("a")
    assert (link.text, link["href"]) == ("Sciatica", "/conditions/sciatica/")
    assert "Pain that travels from your lower back" in aside.text

    assert template.render(Context({"page": other})).strip() == ""
    clinic["sciatica"].unpublish()
    assert template.render(Context({"page": article})).strip() == ""


def test_footer_gives_name_address_phone_todays_hours_privacy_and_social_links(client, clinic):
    privacy = StandardPageFactory(parent=clinic["home"], title="Privacy notice")
    clinic_settings(privacy_page=privacy, instagram_url="https://instagram.example/harbor")

    footer = soup_of(client.get(clinic["team"].url)).select_one("footer.site-footer")
    assert footer.h2.text == "Harbor Physical Therapy"
    assert footer.select_one('a[href="tel:+13605550142"]').text == "(360) 555-0142"
    assert "1 Main Street" in footer.address.text
    assert "Olympia, WA 98501" in footer.address.text
    assert footer.select_one(".site-footer__today").text.startswith(("Open today", "Closed today"))
    assert footer.select(".hours dt") == [], "the whole week is on the contact page"
    links = {a.text: a["href"] for a in footer.select(".site-footer__links a")}
    assert links == {
        "Privacy notice": privacy.url,
        "Instagram": "https://instagram.example/harbor",
    }


def test_visible_pages_are_wagtails_live_and_public_in_one_query(
    home_page, django_assert_num_queries
):
    members = StandardPageFactory(parent=home_page, title="Members")
    StandardPageFactory(parent=members, title="Members' exercises")
    StandardPageFactory(parent=home_page, title="Membership")  # its path only starts alike
    StandardPageFactory(parent=home_page, title="Draft", live=False)
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    pages = Page.objects.descendant_of(home_page)
    with django_assert_num_queries(1):
        shown = sorted(visible(pages).values_list("title", flat=True))
    assert shown == sorted(pages.live().public().values_list("title", flat=True))
    assert shown == ["Membership"]
