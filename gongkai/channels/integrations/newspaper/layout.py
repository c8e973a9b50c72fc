"""What the PDF and the Word file share."""


def masthead(channel) -> str:
    # The paper's name is written 《寮步报》 in running text but printed bare on its masthead.
    return channel.option("masthead") or channel.name.strip("《》")
