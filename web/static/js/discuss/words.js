// What each phase is called and the question it puts to the room. Description before
// analysis, analysis before prediction, prediction before evaluation.

export const PHASE_LABELS = {
  instructor_reflection: "Instructor's reflection",
  planning_team: "Planning team",
  observations: "Observers' data, step by step",
  patterns: "Patterns",
  prediction: "Prediction",
  evaluation: "Evaluation",
  knowledgeable_other: "Knowledgeable other",
  next_steps: "Next level of work",
  closed: "Closed",
};

export const SHORT_LABELS = {
  instructor_reflection: "Instructor",
  planning_team: "Planning team",
  observations: "Step by step",
  patterns: "Patterns",
  prediction: "Prediction",
  evaluation: "Evaluation",
  knowledgeable_other: "Knowledgeable other",
  next_steps: "Next level of work",
};

export const PROMPTS = {
  instructor_reflection: "The instructor speaks first: what was planned, what you noticed, what surprised you.",
  planning_team: "The planning team: what the task was meant to make students think about, and why.",
  observations: "Observers share what students said and did, one plan step at a time. Describe; don't judge.",
  patterns: "Which notes show the same student thinking? Group them and name each pattern in a few words.",
  prediction: "If a student did exactly what this task asked, what would they know how to do?",
  evaluation: "Against the lesson goals: what do the notes show students learned? Which misconceptions appeared?",
  knowledgeable_other: "The knowledgeable other's final comments.",
  next_steps: "What will the next lesson change, and which notes tell us to?",
  closed: "This discussion is closed: its accepted revisions started the next plan version.",
};

// Which parts of the page each phase shows, and where they can be changed.
export const PANELS = {
  instructor_reflection: ["talk"],
  planning_team: ["talk"],
  observations: ["steps", "board", "talk"],
  patterns: ["board", "findings", "talk"],
  prediction: ["findings", "board", "talk"],
  evaluation: ["findings", "board", "talk"],
  knowledgeable_other: ["talk", "findings"],
  next_steps: ["findings", "talk"],
  closed: ["findings"],
};

export const CLUSTERING = new Set(["observations", "patterns"]);
export const CLAIMING = new Set(["patterns", "prediction", "evaluation"]);
export const CONFIRMING = new Set(["patterns", "evaluation"]);
export const REVISING = new Set(["next_steps"]);

export const STATUS_LABELS = { proposed: "Proposed", accepted: "Accepted", rejected: "Not taken" };
