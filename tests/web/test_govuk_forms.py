"""The GOV.UK form partials (templates/forms/) and the govuk_forms filters that feed them."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from recovery_tracker.web.templatetags.govuk_forms import error_messages, errors_at, form_errors, keyed_errors


class TestForm(forms.Form):
    __test__ = False  # a form, not a test class
    name = forms.CharField(max_length=3)
    email = forms.EmailField()

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_a_bound_form_gives_pairs_anchored_at_its_fields():
    form = TestForm({"name": "TEST-too-long", "email": "x"})
    assert not form.is_valid()
    assert form_errors(form) == [
        ("main-content", "Something about the whole form"),
        ("id_name", "Ensure this value has at most 3 characters (it has 13)."),
        ("id_email", "Enter a valid email address."),
    ]
    assert form_errors(form, "id_name")[0] == ("id_name", "Something about the whole form")


def test_keyed_errors_and_errors_at_make_pairs_from_dicts_lists_and_single_messages():
    assert keyed_errors({"email": "Enter an email"}, "field-") == [("field-email", "Enter an email")]
    assert keyed_errors([("date", "Enter a date")], "field-") == [("field-date", "Enter a date")]
    assert keyed_errors({}, "field-") == []
    assert errors_at("Enter the code", "code") == [("code", "Enter the code")]
    assert errors_at(["One", "Two"], "files") == [("files", "One"), ("files", "Two")]
    assert errors_at("", "code") == errors_at(None, "code") == []
    assert error_messages(forms.utils.ErrorList(["A", "B"])) == ["A", "B"]


def test_the_error_summary_links_each_message_and_shows_nothing_without_errors():
    html = render_to_string("forms/_error_summary.html", {"errors": [("field-x", "Fix <x>"), ("", "Not a field")]})
    assert 'data-module="govuk-error-summary"' in html and "There is a problem" in html
    assert '<li><a href="#field-x">Fix &lt;x&gt;</a></li>' in html and "<li>Not a field</li>" in html
    assert render_to_string("forms/_error_summary.html", {"errors": []}).strip() == ""


def test_an_input_names_its_hint_and_error_and_keeps_the_ids_it_is_given():
    html = render_to_string("forms/_input.html", {
        "id": "id_title", "name": "title", "label": "Title", "hint": "A hint", "value": "Kept",
        "error": forms.utils.ErrorList(["Too long", "Not allowed"]), "group_id": "field-title", "width": 10})
    assert 'id="field-title"' in html and "govuk-form-group--error" in html
    assert '<label class="govuk-label" for="id_title">Title</label>' in html
    assert '<div id="id_title-hint" class="govuk-hint">A hint</div>' in html
    assert html.count('id="id_title-error"') == 1 and "Too long<br>Not allowed" in html
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error" id="id_title" name="title"' in html
    assert 'value="Kept"' in html and 'aria-describedby="id_title-hint id_title-error"' in html


def test_a_password_is_never_written_back_and_a_plain_input_has_no_describedby():
    html = render_to_string("forms/_input.html", {"name": "password", "label": "Password", "type": "password",
                                                  "value": "secret"})
    assert 'id="password" name="password" type="password"' in html
    assert "secret" not in html and "aria-describedby" not in html and "error" not in html


def test_a_textarea_and_a_date_input():
    html = render_to_string("forms/_input.html", {"name": "text", "label": "Text", "textarea": True, "rows": 3,
                                                  "value": "a < b", "error": "Say more"})
    assert ('<textarea class="govuk-textarea govuk-textarea--error" id="text" name="text" rows="3" '
            'aria-describedby="text-error">a &lt; b</textarea>') in html
    html = render_to_string("forms/_date_input.html", {"id": "id_when", "name": "when", "label": "When",
                                                       "hint": "For example, 27 3 2007", "day": "5", "error": "Wrong"})
    assert 'role="group" aria-describedby="when-hint when-error"' in html and 'id="when-error"' in html
    assert 'id="id_when_day" name="when_day"' in html and 'value="5"' in html
    assert 'id="id_when_year" name="when_year" type="text" inputmode="numeric" value=""' in html
    assert html.count("govuk-input--error") == 3


def test_capture_builds_text_for_a_partial():
    html = Template('{% load govuk_forms %}{% capture as hint %}Up to {{ n }} {{ unit }}{% endcapture %}'
                    '{% include "forms/_file_upload.html" with name="file" label="File" hint=hint only %}'
                    ).render(Context({"n": 5, "unit": "MB <each>"}))
    # Escaped once, where it was rendered, and not again in the partial.
    assert '<div id="file-hint" class="govuk-hint">Up to 5 MB &lt;each&gt;</div>' in html
    assert 'type="file" aria-describedby="file-hint"' in html
