"""Whether a recipient may still see what feedback told them about
(``cairn.notifications.registry``)."""

from __future__ import annotations

from cairn.feedback.models import FeedbackAsk, FeedbackRequest, FeedbackShare, GivenFeedback
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("feedback.feedbackask")
def asks(viewer: Person, ids: set[int]) -> set[int]:
    """A request for their feedback: the person asked, while the ask exists."""
    return set(
        FeedbackAsk.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("feedback.feedbackrequest")
def requests(viewer: Person, ids: set[int]) -> set[int]:
    """Answers to a request: its asker."""
    return set(
        FeedbackRequest.objects.filter(asker=viewer, pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("feedback.givenfeedback")
def given(viewer: Person, ids: set[int]) -> set[int]:
    """Feedback given to them: the receiver, until they discard it."""
    return set(
        GivenFeedback.objects.received_by(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("feedback.feedbackshare")
def shares(viewer: Person, ids: set[int]) -> set[int]:
    """Someone's feedback shared with them: while the share stands."""
    return set(
        FeedbackShare.objects.filter(shared_with=viewer, pk__in=ids).values_list("pk", flat=True)
    )
