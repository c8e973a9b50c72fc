from django.urls import reverse


def test_it_shows_the_cycle_error_at_the_parent_field(client, alice, town, village):
    client.force_login(alice)
    url = reverse("wagtailsnippets_orgs_organisation:edit", args=[town.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = {
        "name": "寮步镇人民政府改",
        "short_name": "",
        "code": "liaobu",
        "kind": "government",
        "parent": str(village.pk),
        "credit_code": town.credit_code,
        "sort_order": "0",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "上级组织不能是本组织或其下级组织" in response.content.decode()
    # what was typed is kept, nothing saved
    assert "寮步镇人民政府改" in response.content.decode()
    town.refresh_from_db()
    assert town.name == "寮步镇人民政府"


def test_charlie_cannot_see_organisations(client, charlie, town):
    client.force_login(charlie)
    response = client.get(reverse("wagtailsnippets_orgs_organisation:list"))
    assert response.status_code in (302, 403)


def test_a_village_editor_sees_only_his_village(client, dave, town, village):
    client.force_login(dave)
    response = client.get(reverse("wagtailsnippets_orgs_organisation:list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [village]
    # and cannot open the town by typing its URL
    response = client.get(reverse("wagtailsnippets_orgs_organisation:edit", args=[town.pk]))
    assert response.status_code in (302, 403)


def test_the_roster_status_page_lists_unfiled_villages(client, alice, village):
    client.force_login(alice)
    response = client.get(reverse("orgs_roster_status"))
    assert response.status_code == 200
    assert "寮步镇横坑村" in response.content.decode()
    assert "未备案" in response.content.decode()
