"""The demo teaching: the lesson's clock and three observers' notes, as data.

Times are offsets ("mm:ss") from the start of the lesson. Notes are low-inference:
what a student said or did, with the seat or group code, never a name. Each note is
tagged with the anticipated responses it matches (response ids of its step), the
misconceptions it shows (keys, resolved to catalogue ids by the loader), or marked
unanticipated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoNote:
    note_id: str
    at: str  # "mm:ss" after the lesson started
    about: str  # a seat or group code, "teacher" or "class"
    kind: str
    step: str
    text: str
    responses: tuple[str, ...] = ()
    misconceptions: tuple[str, ...] = ()
    unanticipated: bool = False
    flagged: bool = False


KINDS = {
    "talk": "student_talk",
    "work": "student_work",
    "move": "teacher_move",
    "mode": "mode_change",
}


def _n(
    head: str,
    text: str,
    *,
    r: tuple[str, ...] = (),
    m: tuple[str, ...] = (),
    new: bool = False,
    flag: bool = False,
) -> DemoNote:
    """A note from "note-id mm:ss about kind step", its text and its tags."""
    note_id, at, about, kind, step = head.split()
    return DemoNote(note_id, at, about, KINDS[kind], step, text, r, m, new, flag)


# The class and the lesson's clock: (offset, action, argument).
CLASS_LABEL = "7B (24 students)"
CLOCK: list[tuple[str, str, str]] = [
    ("00:00", "start", "whole_class"),
    ("03:00", "mode", "individual"),
    ("06:00", "mode", "whole_class"),
    ("07:00", "step", "s2"),
    ("07:30", "mode", "group"),
    ("17:00", "step", "s3"),
    ("29:00", "step", "s4"),
    ("29:30", "mode", "whole_class"),
    ("45:00", "step", "s5"),
    ("45:30", "mode", "individual"),
    ("50:00", "end", ""),
]

NOTES: dict[str, list[DemoNote]] = {
    "sofia": [
        _n(
            "sofia-01 01:40 G1-S2 talk s1",
            "G1-S2 to G1-S3: \"B, it's got five red. A's only got three.\"",
            r=("r1-count",),
            m=("count",),
        ),
        _n(
            "sofia-02 04:10 G1-S4 work s1",
            'G1-S4 wrote: "A because there is only 1 white to get in the way."',
            new=True,
        ),
        _n(
            "sofia-03 06:20 class work s1",
            "Show of hands: A 5, B 16, same 3.",
        ),
        _n(
            "sofia-04 07:20 class mode s2",
            'Teacher: "Bags out, groups of four, 20 draws from each bag." Desks turned.',
        ),
        _n(
            "sofia-05 09:30 G2 talk s2",
            'G2-S1: "White again! Next one\'s got to be red." G2-S3 draws red. G2-S1: "Told you."',
            r=("r2-recency",),
            m=("recency",),
        ),
        _n(
            "sofia-06 14:50 G1 work s2",
            'G1 tally: A 16 red 4 white, B 11 red 9 white. G1-S2: "B was just unlucky."',
            m=("count",),
            new=True,
        ),
        _n(
            "sofia-07 19:40 G2-S2 talk s3",
            "G2-S2: \"They've both got two more red than white. 3 take 1 is 2, 5 take 3 is"
            " 2. So it's the same.\"",
            new=True,
        ),
        _n(
            "sofia-08 23:15 G1 work s3",
            'G1 board: "A = 3/4 = 6/8. B = 5/8. 6/8 > 5/8 so A." G1-S4 wrote it; G1-S2 '
            "copied it into their book.",
            r=("r3-scale",),
        ),
        _n(
            "sofia-09 26:30 teacher move s3",
            'Teacher at G2: "If I put ten more white balls in B, is B still better?" '
            'G2-S2: "Then B has loads more white... no."',
        ),
        _n(
            "sofia-10 36:00 G2-S2 talk s4",
            "G2-S2: \"It's not how many more, it's how many out of all of them.\"",
            r=("r4-reason",),
        ),
        _n(
            "sofia-11 47:30 G2 work s5",
            'G2 exit tickets: three write "6/8 = 3/4, same"; G2-S1 writes "C, more red".',
            r=("r5-equal", "r5-count"),
            m=("count",),
        ),
    ],
    "raj": [
        _n(
            "raj-01 02:30 G3-S1 talk s1",
            'G3-S1: "B. More balls means more chances to pull a red one."',
            r=("r1-more",),
            m=("more_balls",),
        ),
        _n(
            "raj-02 05:00 G4-S3 talk s1",
            "G4-S3: \"It's red or white, so it's 50-50 whatever bag.\"",
            r=("r1-5050",),
            m=("fifty_fifty",),
        ),
        _n(
            "raj-03 10:20 G3 talk s2",
            'G3-S2 after two whites from A: "A\'s broken." G3-S4: "No, it\'s due a red now."',
            r=("r2-recency",),
            m=("recency",),
        ),
        _n(
            "raj-04 12:45 G4-S3 talk s2",
            'G4-S3: "See, B gave 9 red and 11 white, that\'s basically half. 50-50 like I said."',
            m=("fifty_fifty",),
        ),
        _n(
            "raj-05 15:30 G3-S2 work s2",
            "G3-S2 stopped tallying after 12 draws from B.",
        ),
        _n(
            "raj-06 15:40 G4-S2 work s2",
            'G4-S2 stopped after 12 draws from B and wrote "B 8 red, A 7 red, so B" (A '
            "had 10 draws).",
            m=("count",),
            new=True,
        ),
        _n(
            "raj-07 21:10 G4 talk s3",
            'G4-S1: "A has 2 more red than white and so does B. Same." G4-S3: "Yeah, same."',
            new=True,
        ),
        _n(
            "raj-08 25:40 G3 work s3",
            'G3 board: "B, 5 is more than 3" crossed out; below it "A is 75%, B is '
            '62.5%". G3-S4 did the division on a calculator.',
            r=("r3-count", "r3-percent"),
        ),
        _n(
            "raj-09 33:20 G3-S4 talk s4",
            'G3-S4 restating G1\'s board: "They made both bags have 8 so you can compare."'
            " Four hands up to agree.",
            r=("r4-reason",),
        ),
        _n(
            "raj-10 40:05 G4-S1 talk s4",
            'G4-S1: "But B still has more red." No reply; the teacher moves on to G5\'s board.',
            m=("count",),
            flag=True,
        ),
        _n(
            "raj-11 48:10 G4-S3 work s5",
            'G4-S3 exit ticket: "C, because 6 red is more than 3 red."',
            r=("r5-count",),
            m=("count",),
        ),
    ],
    "hannah": [
        _n(
            "hannah-01 01:55 G5 talk s1",
            'G5-S2: "Bag A, there\'s hardly any white in it." G5-S1: "B\'s got more red though."',
            r=("r1-count",),
            m=("count",),
        ),
        _n(
            "hannah-02 05:40 G6-S4 work s1",
            'G6-S4 wrote "A, 3/4" and drew four circles, three shaded.',
            r=("r1-fraction",),
        ),
        _n(
            "hannah-03 08:50 G6 work s2",
            "G6 confused by the tally, G6-S1 lost.",
        ),
        _n(
            "hannah-04 11:30 G5-S3 talk s2",
            'G5-S3: "Three whites in a row from B. The next one\'s definitely red."',
            r=("r2-recency",),
            m=("recency",),
        ),
        _n(
            "hannah-05 16:10 G5 work s2",
            'G5 tally: A 15 red 5 white, B 13 red 7 white. G5-S2: "A wins but only by two."',
            r=("r2-tally",),
        ),
        _n(
            "hannah-06 20:30 G5-S1 talk s3",
            'G5-S1: "3 minus 1 is 2, 5 minus 3 is 2, it\'s a tie." G5-S4 writes SAME on the board.',
            new=True,
        ),
        _n(
            "hannah-07 24:00 G6-S2 talk s3",
            'G6-S2: "A is three quarters. B is more than half but less than three '
            'quarters?" G6-S3: "Five eighths."',
            r=("r3-scale",),
        ),
        _n(
            "hannah-08 27:10 teacher move s3",
            'Teacher to G5: "What if bag A had 102 red and 100 white?" G5-S1: "Then it\'s '
            "still 2 more... oh. That's nearly 50-50.\"",
        ),
        _n(
            "hannah-09 38:30 G5-S1 talk s4",
            'G5-S1 to the class: "We said same because they both have two more red. But '
            "102 and 100 is nearly 50-50, so take-away doesn't work.\"",
            r=("r4-reason",),
        ),
        _n(
            "hannah-10 46:40 G6-S1 work s5",
            'G6-S1 exit ticket: "C = 6/8 = 3/4 = A. Same chance."',
            r=("r5-equal",),
        ),
    ],
}


# Corrections observers made during the lesson: (observer, note id, at, changes).
AMENDMENTS: list[tuple[str, str, str, dict[str, object]]] = [
    (
        "hannah",
        "hannah-03",
        "09:40",
        {
            "text": 'G6-S1 asked "do we put it back?" after 6 draws; G6 started the tally'
            " again from zero."
        },
    ),
]
# (observer, note id, at, reason).
RETRACTIONS: list[tuple[str, str, str, str]] = [
    ("raj", "raj-05", "15:50", "wrong seat: it was G4-S2, recorded again as raj-06"),
]
