import type { SessionKind } from '../../../shared/domain';

export interface CriterionSeed {
  title: string; // short, e.g. "Problem framing"
  description: string;      // one sentence: what this criterion measures
  weight: number;           // relative weight within the rubric; weights of a rubric sum to 1 (e.g. 0.25, 0.2, 0.15)
  guidingQuestions: string[]; // 2-4 questions the interviewer can ask
  anchors: [string, string, string, string]; // behavioural anchor for level 1, 2, 3, 4 (index 0 = level 1)
}

export interface RubricSeed {
  sessionKind: SessionKind;
  name: string;        // e.g. "Architecture"
  purpose: string;     // one or two sentences for the interviewer: what this session is for and how it runs
  criteria: CriterionSeed[]; // 5 criteria
}

export const SCALE_LABELS_1_TO_4 = ['Clear concern', 'Some concern', 'Solid', 'Exceptional'] as const;

export const DEFAULT_ROLE = {
  title: 'Software Engineer – Distribution',
  team: 'Distribution',
  description:
    'Makes Sourcegraph easy to build, deploy, configure and monitor, both on customer instances and on Sourcegraph.com, the largest Sourcegraph installation in the world. ' +
    'Works directly with customers to understand the problems they face and iteratively designs solutions, building tooling and automation for deployments, CI and internal dev tools with Go, Terraform, Docker and Kubernetes.',
} as const;

export const DEFAULT_RUBRICS: RubricSeed[] = [
  {
    sessionKind: 'architecture',
    name: 'Architecture',
    purpose:
      'The candidate gets an open problem statement (for example, letting customers deploy, upgrade and monitor a multi-service app on their own infrastructure) and walks you through how they would solve it. ' +
      'Let them lead, add constraints as they go, and score the reasoning you observed, not whether they reached your preferred design.',
    criteria: [
      {
        title: 'Problem framing',
        description: 'Clarifies goals, users and constraints before designing, and states what the design must do and what it may leave out.',
        weight: 0.2,
        guidingQuestions: [
          'Before you start designing, what would you want to know?',
          'Who will run and operate this system, and what does success look like for them?',
          'Which assumptions are you making, and which one would hurt most if it were wrong?',
        ],
        anchors: [
          'Starts designing without asking any questions; solves a different problem from the one posed or cannot say what success looks like.',
          'Asks one or two clarifying questions but leaves key constraints (scale, who operates it, environment) unstated; assumptions surface only when prompted.',
          'Asks about users, scale and environment before designing; states assumptions out loud and names at least two requirements or risks that shape the design.',
          'Frames the problem by who is hurt today and how success is measured; separates must-haves from nice-to-haves and revisits the framing when new information arrives.',
        ],
      },
      {
        title: 'Decomposition',
        description: 'Breaks the system into components with clear responsibilities, interfaces and data flow.',
        weight: 0.2,
        guidingQuestions: [
          'What are the main pieces of your design, and what is each one responsible for?',
          'Walk me through what happens, step by step, when a user makes a change or a request.',
          'If this requirement changed, which parts of the design would you have to touch?',
        ],
        anchors: [
          'Describes the system as one box or a list of technologies; cannot say what each part does or how data moves between them.',
          'Names components, but boundaries are vague or overlapping; interfaces or data flow between them stay unclear even after follow-up questions.',
          'Lays out distinct components with clear responsibilities and interfaces, and walks one request or change end to end through the design.',
          'Chooses boundaries for stated reasons (failure isolation, ownership, upgrade path), walks several flows including failures, and adapts cleanly when a requirement changes.',
        ],
      },
      {
        title: 'Trade-offs & scope',
        description: 'Weighs alternatives explicitly and cuts scope to reach a first version that can ship and be iterated on.',
        weight: 0.2,
        guidingQuestions: [
          'What other approach did you consider, and why did you pick this one?',
          'If you had two weeks to ship a first version, what would you leave out?',
          'What would make you change this decision later?',
        ],
        anchors: [
          'Presents one approach as the only option and cannot name a downside of it, or insists on building everything before anything ships.',
          'Mentions alternatives when asked but compares them vaguely ("it\'s simpler") and does not propose what to leave out of a first version.',
          'Compares at least two options on concrete criteria (cost, complexity, operability) and proposes a smaller first version with a path to the full design.',
          'Says what would make them change their choice, sequences delivery into iterations that each ship value, and explains which risk each cut defers.',
        ],
      },
      {
        title: 'Operations & reliability',
        description: 'Plans how the system is deployed, configured, monitored, upgraded and recovered on Docker, Kubernetes and cloud platforms such as GCP or AWS.',
        weight: 0.25,
        guidingQuestions: [
          'How would this be packaged and deployed on Kubernetes or a cloud provider like GCP or AWS?',
          'How would you know it is healthy, and who gets alerted when it is not?',
          'How does an upgrade or rollback work, and what happens if a node or dependency fails?',
          'What changes if customers run this on their own infrastructure instead of you hosting it?',
        ],
        anchors: [
          'Does not address how the system is deployed or run, or proposes a setup that would lose data or break on the first restart without noticing.',
          'Names Docker or Kubernetes but cannot say how the app is configured, upgraded or observed; monitoring and failure handling come up only when prompted.',
          'Describes a workable deployment (containers, Kubernetes objects or managed cloud services), how config and secrets are handled, and which metrics or alerts show health.',
          'Also covers upgrades and rollbacks, failure modes and recovery, and customer-run versus hosted instances; proposes how to make it easy for others to operate.',
        ],
      },
      {
        title: 'Clarity',
        description: 'Explains the design so that the interviewer can follow it, question it and reconstruct it afterwards.',
        weight: 0.15,
        guidingQuestions: [
          'Can you summarise your design in two or three sentences?',
          'How would you explain this to the engineer who will be on call for it?',
          'What are the open questions you would write down before building it?',
        ],
        anchors: [
          'At the end the interviewer cannot reconstruct the design; answers to direct questions drift away from what was asked.',
          'The main idea comes across, but the structure is hard to follow or key terms go undefined; the interviewer has to ask repeatedly to keep up.',
          'Gives an overview before details, checks the interviewer is following and answers questions directly; the interviewer could sketch the design afterwards.',
          'Adjusts detail to the listener, uses a diagram or worked example to make a hard point simple, and ends by summarising decisions and open questions.',
        ],
      },
    ],
  },
  {
    sessionKind: 'technical_experience',
    name: 'Technical experience',
    purpose:
      'The candidate talks about their past work and accomplishments. Ask for one or two specific projects and follow each down to what they personally did, why, and what happened as a result.',
    criteria: [
      {
        title: 'Depth of ownership',
        description: 'How much of a past project the candidate personally drove, and how well they understand it end to end.',
        weight: 0.2,
        guidingQuestions: [
          'Which part of this project did you personally design or build?',
          'What was the hardest decision you made on it, and what were the alternatives?',
          'What happened after it launched, and what would you do differently now?',
        ],
        anchors: [
          'Describes the work only as "we" and cannot say which parts they did, or cannot explain how their part worked when asked.',
          'Owned a well-defined piece that someone else scoped; explains it well but is vague on why decisions were made or how it fit the larger system.',
          'Describes a project they drove from problem to delivery, their own decisions and why, and answers follow-up questions two or three levels deep.',
          'Owned a project through design, delivery and operation, including what went wrong after launch; explains decisions, rejected alternatives and what they would redo.',
        ],
      },
      {
        title: 'Impact',
        description: 'Whether the candidate\'s work made a demonstrable difference to users, customers or their team.',
        weight: 0.2,
        guidingQuestions: [
          'Who was better off because of this work, and how did you know?',
          'What did you measure before and after?',
          'Is it still in use today, and by whom?',
        ],
        anchors: [
          'Cannot say what changed because of their work or who benefited from it.',
          'Describes the output (feature shipped, tool built) but not its effect; impact is asserted without any evidence.',
          'States who benefited and how, with at least one concrete measure (time saved, incidents reduced, adoption) or a specific before-and-after.',
          'Shows impact that outlived their involvement (adopted by other teams, changed how work is done), with evidence, and explains how they chose the work for its impact.',
        ],
      },
      {
        title: 'Tooling & automation',
        description: 'Experience building tooling and automation for deployments, CI and internal dev tools in Go and Terraform or similar infrastructure-as-code.',
        weight: 0.25,
        guidingQuestions: [
          'Tell me about a deployment, CI or developer tool you built. Why was it needed?',
          'How did you test it, and how did other engineers start using it?',
          'How did you manage infrastructure as code (e.g. Terraform), and how did you handle drift or a bad change?',
        ],
        anchors: [
          'Has no example of automating a deployment, CI or developer workflow, or only ran tools others built without changing them.',
          'Has written scripts or CI configuration but cannot explain design choices, testing, or how others used and maintained the tooling.',
          'Describes tooling they built in Go, Terraform or a comparable language or IaC tool: why it was needed, how it was tested and how others adopted it.',
          'Built automation others depend on (deploy pipelines, IaC modules, dev CLIs), explains trade-offs such as idempotency, drift or rollback, and shows how it sped up the team.',
        ],
      },
      {
        title: 'Debugging to solutions',
        description: 'Turns a customer or user problem into a diagnosis, and then into a designed, shipped and verified fix.',
        weight: 0.2,
        guidingQuestions: [
          'Tell me about a hard problem a customer or user reported. How did you find the cause?',
          'What evidence did you collect, and what did you rule out along the way?',
          'What did you change so that it would not happen again?',
        ],
        anchors: [
          'Cannot describe a hard problem they diagnosed, or the story ends at a workaround with no understanding of the cause.',
          'Describes finding a cause, but the method was mostly trial and error and the story stops before a lasting fix or any prevention.',
          'Walks through a real problem: how they gathered evidence (logs, metrics, a reproduction), narrowed the cause, shipped a fix and confirmed it with the user.',
          'Also generalised the fix (tooling, docs, alerts, design change) so the class of problem stopped recurring, and kept the customer informed throughout.',
        ],
      },
      {
        title: 'Learning & iteration',
        description: 'How the candidate learns from results and mistakes and improves their work over time.',
        weight: 0.15,
        guidingQuestions: [
          'Tell me about something you shipped that did not work as intended. What did you do next?',
          'What is a piece of feedback that changed how you work?',
          'How did you get up to speed on an unfamiliar technology, and did you share what you learned?',
        ],
        anchors: [
          'Cannot name a mistake or something they would do differently, or attributes every setback to others.',
          'Names a mistake when asked, but the lesson is generic ("communicate more") and no change in how they work follows.',
          'Describes a concrete mistake or piece of feedback, what they changed as a result, and a later situation where the change helped.',
          'Shows a habit of shipping small, measuring and adjusting; gives two or more examples of learning a new area quickly and sharing it (docs, posts or talks).',
        ],
      },
    ],
  },
  {
    sessionKind: 'team_collaboration',
    name: 'Team collaboration',
    purpose:
      'The candidate describes how they work and communicate in a team and how they handled tricky situations. Ask for specific past examples and score what they did, not accent, fluency or speaking style.',
    criteria: [
      {
        title: 'Clear, empathetic writing',
        description: 'Communicates clearly and with empathy for the reader or listener, especially in writing and documentation.',
        weight: 0.25,
        guidingQuestions: [
          'Tell me about a document, design doc or incident update you wrote. Who was it for?',
          'How did you know it was understood, and what did you change after people read it?',
          'How would you explain a breaking change to a customer versus to an engineer on your team?',
        ],
        anchors: [
          'Cannot give an example of writing others relied on, or describes readers\' confusion as the reader\'s fault.',
          'Gives an example of writing but describes it by what they wanted to say, not what the reader needed; no sign of adapting to the audience.',
          'Describes writing (docs, design docs, incident updates) aimed at a specific audience, and how they checked it was understood or improved it from questions.',
          'Shows writing others reuse as a reference or template, and explains how they adapted the same message for customers, engineers and leadership.',
        ],
      },
      {
        title: 'Handling disagreement',
        description: 'How the candidate handles technical or interpersonal disagreement and gets to a decision the team can commit to.',
        weight: 0.2,
        guidingQuestions: [
          'Tell me about a time you strongly disagreed with a teammate. What happened?',
          'What was the strongest argument for the other side?',
          'Tell me about a time you changed your mind. What changed it?',
        ],
        anchors: [
          'Describes disagreements as won or lost; either forced their view through or withdrew, and cannot state the other side\'s reasoning.',
          'Can describe the other view when asked, but the story ends without a decision, or with an escalation they made no attempt to avoid.',
          'States the other position fairly, describes seeking evidence or a shared goal, and how a decision was reached and committed to, even when it was not theirs.',
          'Also changed their own mind on evidence or helped others resolve a conflict, and describes what they did to keep the working relationship healthy afterwards.',
        ],
      },
      {
        title: 'Remote & async work',
        description: 'Works effectively in an all-remote team distributed across time zones, relying on written, asynchronous communication.',
        weight: 0.2,
        guidingQuestions: [
          'How do you keep work moving when your teammates are asleep?',
          'How do you make a decision with people you cannot get on a call together?',
          'What do you write down by default, and where?',
        ],
        anchors: [
          'Has no approach to working across time zones beyond meetings; describes being blocked waiting for replies without acting.',
          'Has worked remotely but relies on calls or chat for decisions; leaves little written context that others can pick up later.',
          'Describes concrete async habits: writing decisions down, sharing status without being asked, and making requests that can be answered without a meeting.',
          'Has improved how a distributed team works (templates, handbook pages, async reviews) and can say what problem it solved and how they knew it worked.',
        ],
      },
      {
        title: 'Giving & taking feedback',
        description: 'Gives and receives feedback in a way that helps people and work improve.',
        weight: 0.15,
        guidingQuestions: [
          'What is the most useful piece of feedback you received? What did you do with it?',
          'Tell me about a time you gave difficult feedback to a peer.',
          'How do you ask for feedback on your own work?',
        ],
        anchors: [
          'Cannot recall feedback they received, or dismisses it as unfair without considering it; has no example of giving feedback to a peer.',
          'Gives an example of feedback received but not what they changed, or has given feedback only through a manager rather than directly.',
          'Describes specific feedback received and what they changed, and an example of giving direct, specific feedback to a peer and how it was taken.',
          'Seeks feedback actively (reviews, retros) and gives hard feedback with care; shows follow-up in which their own or the other person\'s work visibly improved.',
        ],
      },
      {
        title: 'Pragmatic trade-offs',
        description: 'Balances quality and speed together with teammates, for example by agreeing to cut scope so the team can ship and iterate.',
        weight: 0.2,
        guidingQuestions: [
          'Tell me about a time your team had to cut scope to ship. How was it decided?',
          'When did you push back on shipping something, and how did that play out?',
          'What did the team defer, and did anyone come back to it?',
        ],
        anchors: [
          'Treats quality and speed as all-or-nothing: either shipped over teammates\' concerns or blocked until everything was perfect.',
          'Accepted a trade-off but did not help shape it; cannot say what was deferred or what risk the team took on.',
          'Describes negotiating a scope cut or shortcut with teammates, what was deferred, how the risk was made visible, and whether it was followed up.',
          'Led the team to a trade-off others bought into, wrote down what was deferred and why, and later came back to pay down the debt or revisit the choice.',
        ],
      },
    ],
  },
  {
    sessionKind: 'ceo_cto',
    name: 'CEO/CTO',
    purpose:
      'Learn what motivates the candidate to do their best work and how that fits the values the company names (openness, transparency, remote-first, shipping and iterating), and share the company\'s vision. ' +
      'Score against the anchors, not likeability or how similar the candidate is to the panel.',
    criteria: [
      {
        title: 'Motivation',
        description: 'What drives the candidate to do their best work, and whether this role offers it.',
        weight: 0.2,
        guidingQuestions: [
          'When did you do the best work of your career? What made it possible?',
          'What kind of work drains you, and what do you do about it?',
          'What do you hope this role gives you that your current one does not?',
        ],
        anchors: [
          'Cannot name what makes them do their best work or describe a time they did it; answers stay generic.',
          'Names motivators in general terms ("I like hard problems") without an example from their own work, or without linking them to this role.',
          'Describes a specific period of their best work, what made it so, and which parts of this role (deployment, tooling, customer problems) offer the same.',
          'Also names conditions under which their work suffers and what they do about it, and asks questions that test whether this role gives them what they need.',
        ],
      },
      {
        title: 'Mission alignment',
        description: 'Connection to the mission of helping many more people understand and write code, and to the developer platform the company builds.',
        weight: 0.2,
        guidingQuestions: [
          'What drew you to Sourcegraph and this mission?',
          'Why does making code easier to understand and write matter to you?',
          'What would you question or change about our strategy?',
        ],
        anchors: [
          'Shows no knowledge of what the company builds and does not engage with the mission when it is described.',
          'Knows the product in outline but links it to their own interests only when prompted; their questions would fit any company.',
          'Explains in their own words why making code accessible matters to them, with an example from their experience, and asks specific questions about the vision.',
          'Connects the mission to the distribution team\'s work (e.g. easy self-hosting widens who can use it) and raises a thoughtful question or challenge about strategy.',
        ],
      },
      {
        title: 'Ownership',
        description: 'Takes responsibility for outcomes, not only assigned tasks, as the posting asks: act like a business owner.',
        weight: 0.2,
        guidingQuestions: [
          'Tell me about a problem outside your job description that you took on. Why?',
          'Tell me about something that failed on your watch. What did you do?',
          'How do you decide what is worth your time when nobody tells you?',
        ],
        anchors: [
          'Describes outcomes as other people\'s responsibility; stopped at the edge of their assigned task even when they saw a problem.',
          'Owned their assigned work well but gives no example of acting on a problem outside it.',
          'Gives an example of noticing a problem outside their remit, taking it on or getting it owned, and following through to the outcome.',
          'Repeatedly takes responsibility for results rather than tasks, including owning a failure openly and fixing the process that caused it.',
        ],
      },
      {
        title: 'Ship & iterate',
        description: 'Prefers shipping early, learning from real use and iterating over waiting for a complete solution.',
        weight: 0.2,
        guidingQuestions: [
          'Tell me about the smallest useful version of something you shipped. What happened next?',
          'How do you decide something is good enough to ship?',
          'When did feedback from users change what you built?',
        ],
        anchors: [
          'Describes waiting for a complete, perfect solution before releasing anything, or shipping without ever following up on how it was used.',
          'Values shipping in principle, but examples show long cycles with little feedback from users between releases.',
          'Gives an example of shipping a small first version, gathering feedback from users or customers, and changing the product because of it.',
          'Makes small, frequent releases a habit and helped a team do the same; explains how they judged "good enough" and how they limited the risk.',
        ],
      },
      {
        title: 'Openness',
        description: 'Comfort working in the open (public handbook, strategy and code): sharing work and decisions early and acting on the feedback.',
        weight: 0.2,
        guidingQuestions: [
          'Our handbook, strategy and code are public. What appeals to you about that, and what gives you pause?',
          'Tell me about a time you shared unfinished work. What came of it?',
          'How have you handled sharing a mistake with your team or with customers?',
        ],
        anchors: [
          'Gives examples of holding work back until finished or keeping information in a small group when sharing it would have helped others.',
          'Supports openness in principle but has no example of sharing unfinished work or decisions; answers about working in public stay generic.',
          'Gives an example of sharing work or decisions early (design doc, open PR, public issue) and acting on the feedback it drew.',
          'Works in the open by default (open source, public docs, posts or talks) and describes a case where transparency, including about a mistake, changed the outcome.',
        ],
      },
    ],
  },
];
