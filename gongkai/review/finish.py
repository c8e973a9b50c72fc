"""WAGTAIL_FINISH_WORKFLOW_ACTION points here.

Wagtail imports this setting while its own models are being defined, so this module imports
nothing at load time; the work is in workflow.publish_cleared_revision.
"""


def publish_cleared_revision(workflow_state, user=None):
    from .workflow import publish_cleared_revision as publish

    return publish(workflow_state, user=user)
