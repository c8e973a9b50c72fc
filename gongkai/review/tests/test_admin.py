"""The word list and allow-list in the Wagtail admin, scoped to the organisation tree."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.orgs.models import Role
from gongkai.review.models import AllowedPhrase, SensitiveWord
from gongkai.review.services import word_list_import

WORDS = "wagtailsnippets_review_sensitiveword"
PHRASES = "wagtailsnippets_review_allowedphrase"


def test_it_lets_the_admin_add_a_word_and_records_who(client, alice, town):
    client.force_login(alice)
    response = client.get(reverse(f"{WORDS}:list"))
    assert response.status_code == 200
    assert reverse("review_word_list_transfer") in response.content.decode()
    response = client.post(
        reverse(f"{WORDS}:add"),
        {"organisation": town.pk, "word": "评标专家名单", "category": "招标采购", "active": "on"},
    )
    assert response.status_code == 302
    word = SensitiveWord.objects.get()
    assert (word.word, word.added_by, word.organisation) == ("评标专家名单", alice, town)


def test_it_refuses_a_one_character_word_in_the_form(client, alice, town):
    client.force_login(alice)
    response = client.post(
        reverse(f"{WORDS}:add"), {"organisation": town.pk, "word": "密", "active": "on"}
    )
    assert response.status_code == 200
    assert "词语至少两个字" in response.content.decode()
    assert not SensitiveWord.objects.exists()


def test_it_keeps_a_village_admin_out_of_the_town_list(client, make_user, town, village):
    village_admin = make_user("vera", roles=[(Role.ADMIN, village)])
    word_list_import(actor=None, organisation=town, text="标底\n")
    client.force_login(village_admin)
    response = client.get(reverse(f"{WORDS}:list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    response = client.post(
        reverse(f"{WORDS}:add"), {"organisation": town.pk, "word": "病历", "active": "on"}
    )
    assert response.status_code == 200  # the town is not a choice
    assert not SensitiveWord.objects.filter(word="病历").exists()
    town_word = SensitiveWord.objects.get(word="标底")
    response = client.get(reverse(f"{WORDS}:edit", args=[town_word.pk]))
    assert response.status_code in (302, 403)


def test_it_imports_an_uploaded_word_list_and_exports_it(client, alice, town):
    client.force_login(alice)
    upload = SimpleUploadedFile("words.txt", "# 词库\n标底\t招标\n病历\n".encode(), "text/plain")
    response = client.post(
        reverse("review_word_list_transfer"), {"organisation": town.pk, "file": upload}
    )
    assert response.status_code == 302
    assert sorted(SensitiveWord.objects.values_list("word", flat=True)) == ["标底", "病历"]
    response = client.get(reverse("review_word_list_export", args=[town.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert "标底\t招标" in response.content.decode("utf-8")


def test_it_explains_a_word_list_in_the_wrong_encoding(client, alice, town):
    client.force_login(alice)
    upload = SimpleUploadedFile("words.txt", "标底\n".encode("gb18030"), "text/plain")
    response = client.post(
        reverse("review_word_list_transfer"), {"organisation": town.pk, "file": upload}
    )
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert not SensitiveWord.objects.exists()


def test_it_lets_a_reviewer_allow_a_phrase_with_a_reason(client, bob, town):
    client.force_login(bob)
    url = reverse(f"{PHRASES}:add")
    response = client.post(
        url, {"organisation": town.pk, "phrase": "秘书科", "reason": "", "active": "on"}
    )
    assert response.status_code == 200 and not AllowedPhrase.objects.exists()
    response = client.post(
        url, {"organisation": town.pk, "phrase": "秘书科", "reason": "内设机构名称", "active": "on"}
    )
    assert response.status_code == 302
    phrase = AllowedPhrase.objects.get()
    assert (phrase.added_by, phrase.reason) == (bob, "内设机构名称")
    # the reviewer may read the word list but not import into it
    response = client.get(reverse("review_word_list_transfer"))
    assert response.status_code == 200
    assert 'type="file"' not in response.content.decode()


def test_it_keeps_editors_and_outsiders_away(client, dave, charlie, town):
    for person in (dave, charlie):
        client.force_login(person)
        assert client.get(reverse(f"{WORDS}:list")).status_code in (302, 403)
        assert client.get(reverse("review_word_list_transfer")).status_code in (302, 403)
        assert client.get(reverse("review_word_list_export", args=[town.pk])).status_code in (
            302,
            403,
        )
