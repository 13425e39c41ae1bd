import type { RubricVersionView } from '../../../shared/domain';
import type { Repositories } from '../repositories';
import type { KeyPair } from './keys';
import { rubricHash, signStatement, statementOf, type SignedRevision } from './revisions';

/**
 * Signs scorecards as they now stand (just submitted or amended) with their author's key, each
 * chained to its previous signed revision, and keeps the signed bytes (inside the caller's
 * transaction). Rubric versions are read and hashed once per signer: the demo signs thousands.
 */
export class ScorecardSigner {
  private readonly rubrics = new Map<string, { rubric: RubricVersionView; hash: string }>();

  constructor(private readonly repos: Repositories) {}

  sign(scorecardId: string, keys: KeyPair, signedAt: string, amendmentReason: string | null): SignedRevision {
    const { repos } = this;
    const scorecard = repos.scorecards.get(scorecardId);
    const head = repos.scorecards.head(scorecardId);
    const version = scorecard && this.rubric(scorecard.rubricVersionId);
    if (!scorecard || !head || !version) throw new Error(`scorecard ${scorecardId} is missing its interview or rubric`);
    const parentHash = repos.scorecardRevisions.latest(scorecardId)?.hash ?? null;
    const statement = statementOf({ scorecard, candidateId: head.candidateId, rubric: version.rubric, rubricHash: version.hash, signedAt, amendmentReason, parentHash });
    const signed = signStatement(statement, keys.privateKey, keys.publicKey);
    repos.scorecardRevisions.insert(signed);
    return signed;
  }

  private rubric(versionId: string): { rubric: RubricVersionView; hash: string } | undefined {
    let found = this.rubrics.get(versionId);
    if (!found) {
      const rubric = this.repos.rubrics.version(versionId);
      if (!rubric) return undefined;
      found = { rubric, hash: rubricHash(rubric) };
      this.rubrics.set(versionId, found);
    }
    return found;
  }
}

/** Signs one scorecard of mine (a submission or an amendment). */
export function signScorecard(repos: Repositories, scorecardId: string, keys: KeyPair, signedAt: string, amendmentReason: string | null): SignedRevision {
  return new ScorecardSigner(repos).sign(scorecardId, keys, signedAt, amendmentReason);
}
