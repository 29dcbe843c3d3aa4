export { timingSafeEqual } from './timing-safe-equal'
