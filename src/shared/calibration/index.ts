export { krippendorffAlpha, alphaFromCoincidences, indexValues, type AlphaLevel } from './alpha';
export { shroutFleissIcc, type IccEstimate, type ShroutFleissIcc } from './icc';
export { weightedKappa, fleissKappa, type KappaWeights, type WeightedKappa, type FleissKappa } from './kappa';
export { raterEffects, type RaterEffectsFit, type RaterEffectsOptions } from './rater-effects';
export { mixedModel, type MixedModelFit, type RaterVarianceStatus, type VarianceComponents } from './mixed-model';
export {
  lnGamma,
  lnBeta,
  regularizedIncompleteBeta,
  betaQuantile,
  fCdf,
  fQuantile,
  normalQuantile,
} from './distributions';
export { sparseRatings, type RatingMatrix, type SparseRatings } from './ratings';
