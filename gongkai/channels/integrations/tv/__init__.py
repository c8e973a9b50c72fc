"""电视台: a sent delivery puts the item on the station's list of cleared items (待播); each
airing is then a line of the broadcast log (services.broadcast_record)."""

from .. import Sent


def send(delivery) -> Sent:
    return Sent()
