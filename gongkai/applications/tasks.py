"""Background work: e-mail and letters. Queued with transaction.on_commit by the services, so
nothing is sent for a write that did not happen, and nothing acknowledged is lost if sending
fails."""

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str], document_ids: list[int] = ()) -> int:
    from .models import CaseDocument

    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, list(to))
    for document in CaseDocument.objects.filter(pk__in=list(document_ids)).order_by("id"):
        with document.file.open("rb") as handle:
            message.attach(document.name, handle.read(), document.content_type)
    return message.send()


@task()
def issue_letter(*, application_id: int, key: str, event_id: int, email_applicant: bool) -> int:
    """Render a letter to Word and PDF, file both with the case, and e-mail the PDF if asked."""
    from . import services

    documents = services.letter_issue(application_id=application_id, key=key, event_id=event_id)
    if email_applicant:
        services.letter_email_applicant(application_id=application_id, documents=documents)
    return len(documents)


@task()
def deliver_by_email(*, application_id: int) -> int:
    from . import services

    return services.delivery_email_send(application_id=application_id)
