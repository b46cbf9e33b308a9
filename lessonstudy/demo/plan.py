"""The demo's team, task, misconceptions and research lesson plan (version 1), as data.

The study lesson is the classic "which bag?" probability task. Students are never
named: seats and groups carry codes such as "G1-S2". Misconceptions are referred to
by a short key (``count``, ``more_balls``...) because the catalogue gives them ids
only when they are stored; the loader resolves the keys.
"""

from __future__ import annotations

from typing import Any

TEAM_NAME = "Riverside Year 7 Mathematics Lesson Study Team"
SCHOOL = "Riverside Community School"
RESEARCH_THEME = (
    "Students explain why, not only what: they compare quantities by their"
    " relationships (fractions, ratios, proportions) and justify a choice with evidence"
    " that would convince someone who chose differently."
)
LESSON_TITLE = "Which bag gives the better chance of red?"

# (person id, name, roles); the first member forms the team.
MEMBERS: list[tuple[str, str, list[str]]] = [
    ("mei", "Mei Tanaka", ["planner", "facilitator"]),
    ("daniel", "Daniel Okafor", ["instructor", "planner"]),
    ("sofia", "Sofia Lindqvist", ["observer", "planner"]),
    ("raj", "Raj Patel", ["observer"]),
    ("hannah", "Hannah Weber", ["observer", "curator"]),
    ("ito", "Dr Kenji Ito", ["knowledgeable_other"]),
]
FACILITATOR, INSTRUCTOR, KNOWLEDGEABLE_OTHER = "mei", "daniel", "ito"
OBSERVERS = ["sofia", "raj", "hannah"]

TASK: dict[str, str] = {
    "statement": (
        "Two paper bags hold ping-pong balls. Bag A has 3 red balls and 1 white ball."
        " Bag B has 5 red balls and 3 white balls. You draw one ball without looking."
        " Which bag gives you the better chance of drawing a red ball? Explain how you"
        " know, in a way that would convince someone who chose the other bag."
    ),
    "subject": "Mathematics",
    "grade": "7",
    "topic": "Probability",
    "materials": (
        "Per group: two paper bags marked A and B, 8 red and 4 white ping-pong balls,"
        " a tally sheet; a mini whiteboard and pen per group; exit tickets."
    ),
    "cognitive_demand": "analyse",
}

# The misconceptions the team anticipates, catalogued before the lesson.
ANTICIPATED_MISCONCEPTIONS: dict[str, str] = {
    "count": (
        "Compares the numbers of red balls instead of the proportion of red:"
        " 'B has 5 red and A has only 3, so B is better.'"
    ),
    "more_balls": (
        "Believes more balls in the bag means more chance: 'B has more balls, so there"
        " are more chances to get red.'"
    ),
    "fifty_fifty": (
        "Equiprobability bias: every outcome is equally likely because there are two"
        " colours, 'red or white, so it is 50-50 in both bags.'"
    ),
    "recency": (
        "Outcome approach / recency: predicts the next single draw from the last ones,"
        " 'we got white twice, so the next one will be red.'"
    ),
}
# The one nobody anticipated; the team catalogues it in the discussion.
OBSERVED_MISCONCEPTION: tuple[str, str] = (
    "difference",
    "Additive comparison: compares red minus white instead of red to the whole,"
    " 'both bags have two more red than white, so the chance is the same.'",
)

CLASS_LAYOUT: dict[str, list[str]] = {
    f"G{g}": [f"G{g}-S{s}" for s in range(1, 5)] for g in range(1, 7)
}
FOCUS: dict[str, list[str]] = {"sofia": ["G1", "G2"], "raj": ["G3", "G4"], "hannah": ["G5", "G6"]}

# Plan fields in the order the team wrote them: (by, field, value, reason).
PLAN_FIELDS: list[tuple[str, str, Any, str]] = [
    ("mei", "date", "2026-11-19", ""),
    ("mei", "instructor_id", "daniel", "Daniel teaches 7B, the class we studied"),
    (
        "mei",
        "unit_goals",
        "Students describe chance with fractions and compare the probabilities of events"
        " in simple experiments, and know that a long run of trials, not a single draw,"
        " shows the probability.",
        "",
    ),
    (
        "daniel",
        "lesson_goals",
        "1. Students compare two chances by the part-whole relationship (red out of all"
        " balls), not by counts or differences.\n2. Students explain why a single draw"
        " cannot show which bag is better, and what many draws can show.",
        "",
    ),
    (
        "sofia",
        "rationale",
        "Our Year 7s compare fractions correctly as exercises but, given two quantities"
        " in context, they compare the numerators. Last year's common assessment:"
        " 61% chose the bag with more red balls. Probability makes the part-whole"
        " comparison matter, and the bags let students test their prediction.",
        "",
    ),
    (
        "daniel",
        "development",
        "Grade 5-6: fractions as part of a whole, equivalent fractions, comparing"
        " fractions with unlike denominators. Grade 7 (this unit): probability as a"
        " fraction of equally likely outcomes; experimental vs theoretical probability."
        " Grade 8: ratio and proportional reasoning, probability of compound events.",
        "",
    ),
    (
        "mei",
        "data_collection_points",
        "Watch for how students compare the bags: counts of red, differences (red minus"
        " white), or part-whole fractions. Write down exact words. Note what groups say"
        " when a run of draws surprises them, and whether anyone changes their reason,"
        " not only their answer, during the whole-class comparison.",
        "",
    ),
    ("mei", "class_layout", CLASS_LAYOUT, "6 groups of 4, as 7B usually sits"),
    ("mei", "focus", FOCUS, "each observer follows two groups"),
]

# The lesson flow: step id -> its fields.
STEPS: list[tuple[str, dict[str, Any]]] = [
    (
        "s1",
        {
            "activity": "Launch: the teacher shows both bags, takes the balls out and puts"
            " them back, and poses the task. Students predict alone and write one reason.",
            "key_question": "If you want a red ball, which bag would you draw from? Why?",
            "teacher_support": "Accept every prediction without judging it; record a show"
            " of hands (A / B / same) on the board for later.",
            "points_to_notice": "How many choose B for 'more red'? Does anyone mention the"
            " white balls or the total?",
            "minutes": 7,
        },
    ),
    (
        "s2",
        {
            "activity": "Experiment: each group draws 20 times from each bag, putting the"
            " ball back and shaking the bag each time, and tallies the colours.",
            "key_question": "Do your draws agree with your prediction?",
            "teacher_support": "Check that balls go back in. Ask: 'What does your tally"
            " tell you about the chances?'",
            "points_to_notice": "Do students predict single draws ('the next one will be"
            " red')? What do they say about a run of whites?",
            "minutes": 12,
        },
    ),
    (
        "s3",
        {
            "activity": "Explain with numbers: each group writes, on a whiteboard, an"
            " argument that does not need any draws.",
            "key_question": "Without drawing, how can you show which bag gives the better"
            " chance? Use the numbers of balls.",
            "teacher_support": "For count arguments: 'If I put ten more white balls in bag"
            " B, is it still better?' For stuck groups: 'What fraction of bag A is red?'",
            "points_to_notice": "Part-part or part-whole comparisons; does anyone make the"
            " bags the same size (6 out of 8 against 5 out of 8)?",
            "minutes": 12,
        },
    ),
    (
        "s4",
        {
            "activity": "Compare explanations (neriage): three whiteboards, ordered from"
            " counting to fractions, are discussed by the whole class.",
            "key_question": "Which explanation convinces you, and what is wrong with the others?",
            "teacher_support": "Ask students to restate another group's reasoning before"
            " judging it; ask the count group to test their rule on a new pair of bags.",
            "points_to_notice": "Do students who chose B change their reason or only their answer?",
            "minutes": 14,
        },
    ),
    (
        "s5",
        {
            "activity": "Summary and exit ticket.",
            "key_question": "Bag C has 6 red and 2 white balls. Is it better than bag A? Explain.",
            "teacher_support": "Collect the tickets; no hints.",
            "points_to_notice": "How many tickets compare part to whole; how many say"
            " 'C, more red'?",
            "minutes": 5,
        },
    ),
]

# Anticipated responses: (step id, response id, kind, text, misconception key or None).
RESPONSES: list[tuple[str, str, str, str, str | None]] = [
    ("s1", "r1-count", "misconception", "B, because it has 5 red balls and A has 3.", "count"),
    (
        "s1",
        "r1-more",
        "misconception",
        "B, because it has more balls, so more chances to get red.",
        "more_balls",
    ),
    (
        "s1",
        "r1-5050",
        "misconception",
        "It doesn't matter: it's red or white, so 50-50 in both bags.",
        "fifty_fifty",
    ),
    ("s1", "r1-fraction", "correct_strategy", "A: 3 out of 4 are red, B only 5 out of 8.", None),
    (
        "s2",
        "r2-recency",
        "misconception",
        "We got white twice, so the next one has to be red.",
        "recency",
    ),
    (
        "s2",
        "r2-tally",
        "correct_strategy",
        "We got about 15 red out of 20 from A and 12 out of 20 from B, so A.",
        None,
    ),
    ("s3", "r3-count", "misconception", "B has 2 more red balls than A, so B.", "count"),
    ("s3", "r3-scale", "correct_strategy", "Double bag A: 6 out of 8 beats 5 out of 8.", None),
    ("s3", "r3-percent", "correct_strategy", "A is 75% red, B is 62.5% red.", None),
    (
        "s4",
        "r4-reason",
        "correct_strategy",
        "A student who chose B explains why the white balls matter.",
        None,
    ),
    ("s5", "r5-equal", "correct_strategy", "Same chance: 6/8 = 3/4.", None),
    ("s5", "r5-count", "misconception", "C, because it has more red balls.", "count"),
]

# Edits made after the first draft, as co-planning goes: (by, step, field, value, reason).
STEP_EDITS: list[tuple[str, str, str, Any, str]] = [
    ("daniel", "s2", "minutes", 10, "20 draws per bag take 8 minutes in a trial run"),
    ("sofia", "s4", "minutes", 16, "the comparison is the heart of the lesson"),
    (
        "daniel",
        "s1",
        "key_question",
        "If you want a red ball, which bag would you draw from? Write your choice and one reason.",
        "a written reason gives observers something to read",
    ),
]
