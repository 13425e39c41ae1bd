import type { DemoOptions, DemoSummary } from '../../../shared/contract';
import type { Recommendation, ScoreValue, SessionKind } from '../../../shared/domain';
import { uuidv7 } from '../../../shared/ids';
import type { Repositories } from '../repositories';
import { insertDefaultRubrics, insertRoleWithLoop } from './catalog';
import { DEFAULT_ROLE } from './default-rubrics';
import { FAMILY_NAMES, GIVEN_NAMES } from './names';
import { SeededRandom } from './random';

const DAY_MS = 86_400_000;
/** Start days, relative to today, of the candidates on whose panels I sit. */
const FEATURED_START_DAYS = [-1, 0, 1, 2, -7, -14];
/** Ids are v7 UUIDs whose time part counts up from here, so a seed always gives the same ids. */
const ID_EPOCH_MS = Date.UTC(2026, 0, 1);

const SECOND_DEMO_ROLE = {
  title: 'Software Engineer – Developer Tooling',
  team: 'Developer Tooling',
  description: 'Builds the CI, release and local development tooling that every engineer at the company relies on.',
};

const EVIDENCE_BY_LEVEL: readonly (readonly string[])[] = [
  ['Could not get past restating the question.', 'Stayed vague even when asked for a specific example.', 'Missed the main risk after two prompts.'],
  ['Needed prompting to name constraints.', 'One concrete example, thin on their own part in it.', 'Named a risk but no way to reduce it.'],
  ['Asked about scale and users first.', 'Walked through a real incident with clear steps.', 'Named two trade-offs and picked one with a reason.'],
  ['Reframed the problem and cut scope unprompted.', 'Quantified the impact and what they would do differently.', 'Taught me something about rollout safety.'],
];

const TAKEAWAYS = [
  'Strong on operations; would like to see more on scoping.',
  'Clear communicator; examples were mostly from one project.',
  'Good instincts, needed prompting on failure modes.',
  'Very structured answers, pragmatic about trade-offs.',
  'Solid overall; uneven depth across topics.',
];

interface DemoInterviewer {
  id: string;
  leniency: number;
  activity: number;
  sessionKinds: Set<string>;
}

function stamp(offsetSeconds: number): string {
  const m = Math.floor(offsetSeconds / 60);
  const s = offsetSeconds % 60;
  return `[${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}]`;
}

function recommendationFor(meanScore: number): Recommendation {
  if (meanScore < 1.9) return 'strong_no';
  if (meanScore < 2.55) return 'no';
  if (meanScore < 3.3) return 'yes';
  return 'strong_yes';
}

/**
 * Fills a realistic organisation in which every score is drawn from
 *   2.55 + candidate ability + candidate×session + interviewer leniency + criterion offset + noise,
 * rounded into the 1–4 scale: later calibration has real leniency and ability to find.
 * Interviews before `now` have scorecards (a few still in draft: late feedback); later ones have panels only.
 * The caller runs it in one transaction.
 */
export function buildDemo(
  repos: Repositories,
  options: DemoOptions,
  meId: string,
  exampleRoleId: string | undefined,
  now: Date,
): DemoSummary {
  const rng = new SeededRandom(options.seed);
  let idCounter = 0;
  const newId = () => uuidv7(ID_EPOCH_MS + idCounter++, (b) => rng.fillBytes(b));
  const nowIso = now.toISOString();
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const summary: DemoSummary = { roles: 0, candidates: 0, interviewers: 0, interviews: 0, scorecards: 0, scores: 0 };

  // The example role's loop takes most demo candidates (its rubrics are shared with the demo's
  // second role); without it, the demo brings its own copy of the example role and rubrics.
  let example = exampleRoleId ? repos.loops.stagesOfRole(exampleRoleId) : [];
  let exampleId = exampleRoleId;
  if (!exampleId || example.length === 0) {
    const rubrics = insertDefaultRubrics(repos, newId, nowIso, true);
    exampleId = insertRoleWithLoop(repos, newId, nowIso, DEFAULT_ROLE, rubrics, true).roleId;
    summary.roles++;
    example = repos.loops.stagesOfRole(exampleId);
  }
  const rubricsByVersion = new Map(
    example.map((stage) => [
      stage.rubricVersionId,
      {
        sessionKind: stage.sessionKind as SessionKind,
        versionId: stage.rubricVersionId,
        criteria: repos.rubrics.criteria(stage.rubricVersionId).map((c) => ({ id: c.id, offset: rng.normal(0, 0.2) })),
      },
    ]),
  );
  const stagesOf = (stages: { id: string; rubricVersionId: string }[]) =>
    stages.map((stage) => {
      const rubric = rubricsByVersion.get(stage.rubricVersionId);
      if (!rubric) throw new Error('stage without rubric');
      return { id: stage.id, rubric };
    });
  const second = insertRoleWithLoop(repos, newId, nowIso, SECOND_DEMO_ROLE, [...rubricsByVersion.values()], true);
  summary.roles++;
  const roles = [
    { roleId: exampleId, stages: stagesOf(example), share: 0.7 },
    { roleId: second.roleId, stages: stagesOf(repos.loops.stagesOfRole(second.roleId)), share: 0.3 },
  ];

  // Interviewers: each sits on one or two session kinds; how often they interview is skewed.
  const kinds = [...rubricsByVersion.values()].map((rv) => rv.sessionKind as string);
  const interviewers: DemoInterviewer[] = [];
  for (let i = 0; i < options.interviewers; i++) {
    // Every given name with every family name once (in a mixed order) before any name repeats.
    const r = i % GIVEN_NAMES.length;
    const q = Math.floor(i / GIVEN_NAMES.length);
    const given = GIVEN_NAMES[r] ?? 'Alex';
    const family = FAMILY_NAMES[(r * 7 + q) % FAMILY_NAMES.length] ?? 'Doe';
    const round = Math.floor(i / (GIVEN_NAMES.length * FAMILY_NAMES.length));
    const name = round === 0 ? `${given} ${family}` : `${given} ${family} ${round + 1}`;
    const id = newId();
    repos.interviewers.insert({ id, name, email: `${given}.${family}${round || ''}@example.com`.toLowerCase(), isMe: false, isDemo: true, now: nowIso });
    const sessionKinds = new Set([kinds[i % kinds.length] ?? 'architecture']);
    if (rng.next() < 0.35) sessionKinds.add(rng.pick(kinds));
    const outlier = rng.next() < 0.08 ? (rng.next() < 0.5 ? -0.7 : 0.7) : 0;
    interviewers.push({ id, leniency: rng.normal(outlier, 0.3), activity: Math.exp(rng.normal(0, 0.9)), sessionKinds });
    summary.interviewers++;
  }
  // With few interviewers, some sit on several session kinds so that every kind has a panel.
  kinds.forEach((kind, k) => {
    if (!interviewers.some((r) => r.sessionKinds.has(kind))) interviewers[k % interviewers.length]?.sessionKinds.add(kind);
  });
  const pools = new Map(kinds.map((kind) => [kind, interviewers.filter((r) => r.sessionKinds.has(kind))]));
  const cumulative = new Map(
    [...pools].map(([kind, pool]) => {
      let total = 0;
      return [kind, pool.map((r) => (total += r.activity))];
    }),
  );
  const drawFrom = (kind: string): DemoInterviewer => {
    const pool = pools.get(kind) ?? [];
    const weights = cumulative.get(kind) ?? [];
    const x = rng.next() * (weights.at(-1) ?? 0);
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((weights[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    const chosen = pool[lo];
    if (!chosen) throw new Error(`no interviewer for ${kind}`);
    return chosen;
  };
  const me: DemoInterviewer = { id: meId, leniency: 0.1, activity: 1, sessionKinds: new Set(kinds) };

  for (let c = 0; c < options.candidates; c++) {
    const role = rng.next() < (roles[0]?.share ?? 1) ? roles[0] : roles[1];
    if (!role) throw new Error('demo roles missing');
    const given = rng.pick(GIVEN_NAMES);
    const family = rng.pick(FAMILY_NAMES);
    const candidateId = newId();
    repos.candidates.insert({ id: candidateId, roleId: role.roleId, name: `${given} ${family}`, email: `${given}.${family}.${c + 1}@example.com`.toLowerCase(), isDemo: true, now: nowIso });
    summary.candidates++;
    const ability = rng.normal(0, 0.7);
    // The first candidates put me on panels around today (yesterday's scorecard is still a draft)
    // and one and two weeks ago (submitted), so "today" and my history have something to show.
    const featured = c < FEATURED_START_DAYS.length;
    const startDay = today + (FEATURED_START_DAYS[c] ?? rng.int(-150, 10)) * DAY_MS;
    const meStage = featured ? c % role.stages.length : rng.next() < 0.01 ? rng.int(0, 3) : -1;

    role.stages.forEach((stage, s) => {
      const scheduled = startDay + s * DAY_MS * (featured ? 0 : 1) + (9 + ((s * 2 + rng.int(0, 6)) % 9)) * 3_600_000;
      const interviewId = newId();
      repos.interviews.insert({ id: interviewId, candidateId, stageId: stage.id, scheduledAt: new Date(scheduled).toISOString(), durationMinutes: 60, now: nowIso });
      summary.interviews++;
      const panelSize = rng.next() < 0.5 ? 2 : 3;
      const panel: DemoInterviewer[] = s === meStage ? [me] : [];
      for (let guard = 0; panel.length < panelSize && guard < 50; guard++) {
        const r = drawFrom(stage.rubric.sessionKind);
        if (!panel.includes(r)) panel.push(r);
      }
      const sessionEffect = rng.normal(0, 0.3);
      const ended = scheduled + 60 * 60_000 <= now.getTime();
      for (const r of panel) {
        repos.interviews.assign(interviewId, r.id, nowIso);
        if (!ended) continue;
        const submitted = r === me ? scheduled < today - DAY_MS : rng.next() > 0.04;
        const scorecardId = newId();
        const scores = stage.rubric.criteria.map((criterion) => {
          if (rng.next() < 0.03) return { criterion, value: 'not_assessed' as ScoreValue };
          const latent = 2.55 + ability + sessionEffect + r.leniency + criterion.offset + rng.normal(0, 0.55);
          return { criterion, value: Math.min(4, Math.max(1, Math.round(latent))) as ScoreValue };
        });
        const numeric = scores.map((x) => x.value).filter((v): v is number => typeof v === 'number');
        const mean = numeric.reduce((a, b) => a + b, 0) / Math.max(1, numeric.length);
        const submittedAt = new Date(scheduled + rng.int(70, 60 * 30) * 60_000).toISOString();
        repos.scorecards.insert({
          id: scorecardId,
          interviewId,
          interviewerId: r.id,
          rubricVersionId: stage.rubric.versionId,
          status: submitted ? 'submitted' : 'draft',
          recommendation: submitted ? recommendationFor(mean + rng.normal(0, 0.25)) : null,
          takeaways: submitted ? rng.pick(TAKEAWAYS) : '',
          submittedAt: submitted ? submittedAt : null,
          now: nowIso,
        });
        summary.scorecards++;
        // A draft is where an interviewer stopped mid-way: only the first criteria are filled in.
        const filled = submitted ? scores : scores.slice(0, rng.int(0, scores.length - 1));
        for (const { criterion, value } of filled) {
          const level = typeof value === 'number' ? value : 2;
          repos.scorecards.insertScore({
            scorecardId,
            criterionId: criterion.id,
            value,
            evidence: value === 'not_assessed' ? 'Ran out of time for this one.' : `${stamp(rng.int(60, 3500))} ${rng.pick(EVIDENCE_BY_LEVEL[level - 1] ?? [])}`,
            now: nowIso,
          });
          summary.scores++;
        }
        const startedAt = new Date(scheduled).toISOString();
        repos.audit.append({ id: newId(), scorecardId, at: startedAt, actorId: r.id, kind: 'created', detail: { revision: 1 } });
        if (submitted) {
          repos.audit.append({ id: newId(), scorecardId, at: submittedAt, actorId: r.id, kind: 'submitted', detail: { revision: 1 } });
        }
      }
    });
  }
  return summary;
}
