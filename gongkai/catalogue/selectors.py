"""Reads over the catalogue. "Public" means live and not withdrawn."""

from django.db.models import QuerySet

from .models import DisclosureItem


def items_public() -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(live=True, withdrawn_at__isnull=True)
