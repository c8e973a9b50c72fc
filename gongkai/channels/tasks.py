"""Background work (Django's Tasks API; `manage.py db_worker` runs it, tests run it at once).

Tasks take ids, never objects, and do their work through services, so a task run twice does
the work once (the delivery is claimed with a conditional UPDATE).
"""

from django_tasks import task

from . import services


@task()
def deliver(*, delivery_id: int) -> str | None:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None


@task()
def render_issue(*, issue_id: int) -> str:
    return services.issue_render(issue_id=issue_id).render_status
