/** Screens by address (the part after #), so that a reload comes back to the same screen. */
export type Route =
  | { name: 'today' }
  | { name: 'candidates' }
  /** The candidates list with its add form open (the palette's "New candidate"). */
  | { name: 'candidate-new' }
  | { name: 'candidate'; candidateId: string }
  /** The debrief and decision for a candidate (the hiring manager's big screen). */
  | { name: 'debrief'; candidateId: string }
  | { name: 'scorecard'; interviewId: string }
  | { name: 'panel'; interviewId: string }
  | { name: 'interviewers' }
  /** The interviewers list with its add form open (the palette's "Add interviewer"). */
  | { name: 'interviewer-new' }
  | { name: 'settings' }
  /** Importing a .panelist bundle (chosen there or dropped on the window), and the open conflicts. */
  | { name: 'import' }
  | { name: 'roles' }
  | { name: 'role'; roleId: string }
  | { name: 'calibration' }
  | { name: 'rubrics' }
  | { name: 'rubric'; versionId: string }
  | { name: 'rubric-compare'; left: string; right: string };

const ID = '([0-9a-f-]{36})';
const PATTERNS: [RegExp, (m: RegExpExecArray) => Route][] = [
  [/^#\/today$/, () => ({ name: 'today' })],
  [/^#\/candidates$/, () => ({ name: 'candidates' })],
  [/^#\/candidates\/new$/, () => ({ name: 'candidate-new' })],
  [new RegExp(`^#/candidates/${ID}$`), (m) => ({ name: 'candidate', candidateId: m[1] ?? '' })],
  [new RegExp(`^#/candidates/${ID}/debrief$`), (m) => ({ name: 'debrief', candidateId: m[1] ?? '' })],
  [new RegExp(`^#/interviews/${ID}/scorecard$`), (m) => ({ name: 'scorecard', interviewId: m[1] ?? '' })],
  [new RegExp(`^#/interviews/${ID}/panel$`), (m) => ({ name: 'panel', interviewId: m[1] ?? '' })],
  [/^#\/interviewers$/, () => ({ name: 'interviewers' })],
  [/^#\/interviewers\/new$/, () => ({ name: 'interviewer-new' })],
  [/^#\/settings$/, () => ({ name: 'settings' })],
  [/^#\/import$/, () => ({ name: 'import' })],
  [/^#\/roles$/, () => ({ name: 'roles' })],
  [new RegExp(`^#/roles/${ID}$`), (m) => ({ name: 'role', roleId: m[1] ?? '' })],
  [/^#\/calibration$/, () => ({ name: 'calibration' })],
  [/^#\/rubrics$/, () => ({ name: 'rubrics' })],
  [new RegExp(`^#/rubrics/${ID}$`), (m) => ({ name: 'rubric', versionId: m[1] ?? '' })],
  [new RegExp(`^#/rubrics/compare/${ID}/${ID}$`), (m) => ({ name: 'rubric-compare', left: m[1] ?? '', right: m[2] ?? '' })],
];

export function parseRoute(hash: string): Route {
  for (const [pattern, make] of PATTERNS) {
    const match = pattern.exec(hash);
    if (match) return make(match);
  }
  return { name: 'today' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'candidate':
      return `#/candidates/${route.candidateId}`;
    case 'debrief':
      return `#/candidates/${route.candidateId}/debrief`;
    case 'candidate-new':
      return '#/candidates/new';
    case 'interviewer-new':
      return '#/interviewers/new';
    case 'scorecard':
      return `#/interviews/${route.interviewId}/scorecard`;
    case 'panel':
      return `#/interviews/${route.interviewId}/panel`;
    case 'role':
      return `#/roles/${route.roleId}`;
    case 'rubric':
      return `#/rubrics/${route.versionId}`;
    case 'rubric-compare':
      return `#/rubrics/compare/${route.left}/${route.right}`;
    default:
      return `#/${route.name}`;
  }
}

class Router {
  route = $state<Route>(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(window.location.hash);
    });
  }

  go(route: Route): void {
    window.location.hash = href(route);
  }
}

export const router = new Router();
