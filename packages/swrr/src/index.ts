export type { SwrrEligibility, SwrrNode, SwrrPick } from './swrr';
export { pick, SwrrScheduler } from './swrr';
