/**
 * The two segment maps shipped with cvnet (also in examples/segments/ as
 * JSON, the starting point for your own):
 *
 * - `rfm`: the widely used 10-segment RFM map on the recency × frequency
 *   score grid (R and F 1–5, 5 best).
 * - `value17`: three levels and seventeen segments over the study's 14
 *   indicators and the A–D classes, in the spirit of the education company
 *   that managed every customer through one of 17 label combinations.
 */
import { ConfigError } from '../errors.js';
import { compileSegments, type SegmentEngine } from './engine.js';
import type { SegmentConfigInput } from './schema.js';

const r = (...scores: number[]): { score: string; in: number[] } => ({ score: 'recency', in: scores });
const f = (...scores: number[]): { score: string; in: number[] } => ({ score: 'frequency', in: scores });

export const RFM_SEGMENTS: SegmentConfigInput = {
  version: 1,
  name: 'RFM map (recency × frequency)',
  description: 'The classic 10-segment RFM grid on the recency and frequency scores (1–5, 5 = most recent / most frequent).',
  levels: [
    { id: 'engaged', name: 'Engaged', description: 'Bought recently.' },
    { id: 'cooling', name: 'Cooling', description: 'Middling recency: still reachable.' },
    { id: 'lapsing', name: 'Lapsing', description: 'Have not bought for a long time.' },
  ],
  labels: [],
  segments: [
    {
      id: 'champions', name: 'Champions', level: 'engaged', when: { all: [r(5), f(4, 5)] },
      description: 'Bought very recently, buy often and spend the most.',
      playbook: 'Reward them; invite them to try new products first; ask for reviews and referrals — they promote the brand.',
    },
    {
      id: 'loyal', name: 'Loyal Customers', level: 'engaged', when: { all: [r(3, 4), f(4, 5)] },
      description: 'Buy often and respond to promotions, though not always the most recent buyers.',
      playbook: 'Upsell higher-value products, enrol them in the loyalty programme, ask for reviews.',
    },
    {
      id: 'potential_loyalist', name: 'Potential Loyalist', level: 'engaged', when: { all: [r(4, 5), f(2, 3)] },
      description: 'Recent customers who have bought more than once.',
      playbook: 'Offer membership or a loyalty programme and recommend related products to build the habit.',
    },
    {
      id: 'new', name: 'New Customers', level: 'engaged', when: { all: [r(5), f(1)] },
      description: 'Bought most recently, but only once so far.',
      playbook: 'Onboard them well: welcome series, help with the first use, an early small success.',
    },
    {
      id: 'promising', name: 'Promising', level: 'engaged', when: { all: [r(4), f(1)] },
      description: 'Recent shoppers who have bought only once.',
      playbook: 'Build awareness of the range; free trials or a second-purchase incentive.',
    },
    {
      id: 'need_attention', name: 'Need Attention', level: 'cooling', when: { all: [r(3), f(3)] },
      description: 'Average recency and frequency; may slip away without a reason to come back.',
      playbook: 'Limited-time offers and recommendations based on past purchases to reactivate them.',
    },
    {
      id: 'about_to_sleep', name: 'About to Sleep', level: 'cooling', when: { all: [r(3), f(1, 2)] },
      description: 'Below-average recency and frequency; will be lost if not reactivated.',
      playbook: 'Share useful content, recommend popular products or renewals at a discount, reconnect.',
    },
    {
      id: 'at_risk', name: 'At Risk', level: 'lapsing', when: { all: [r(1, 2), f(3, 4)] },
      description: 'Bought fairly often, but a long time ago.',
      playbook: 'Personal win-back messages, renewals, helpful resources; find out why they stopped.',
    },
    {
      id: 'cant_lose', name: "Can't Lose Them", level: 'lapsing', when: { all: [r(1, 2), f(5)] },
      description: 'Were among the most frequent buyers but have not returned for a long time.',
      playbook: 'Win them back with new products or renewals; talk to them personally; do not lose them to a competitor.',
    },
    {
      id: 'hibernating', name: 'Hibernating', level: 'lapsing', when: { all: [r(1, 2), f(1, 2)] },
      description: 'Last purchase long ago, few orders.',
      playbook: 'Low-cost reactivation only: relevant products and special discounts; otherwise let them rest.',
    },
  ],
};

const atLeast4 = (score: string): { score: string; gte: number } => ({ score, gte: 4 });
const atMost2 = (score: string): { score: string; lte: number } => ({ score, lte: 2 });

export const VALUE17_SEGMENTS: SegmentConfigInput = {
  version: 1,
  name: 'Value map: 3 levels, 17 segments',
  description: 'Classes A–D from K combined with labels on the 14 indicators (a score of 4 or 5 counts as high, 1 or 2 as low).',
  levels: [
    { id: 'key', name: 'Key customers', description: 'Classes A and B: most of the value; retain and grow.' },
    { id: 'developing', name: 'Developing customers', description: 'Class C: worth developing where they show engagement.' },
    { id: 'marginal', name: 'Marginal customers', description: 'Class D: serve at minimal cost.' },
  ],
  labels: [
    { id: 'recent', name: 'Recent', description: 'Bought recently (recency score 4–5).', when: atLeast4('recency') },
    { id: 'frequent', name: 'Frequent', description: 'Buys often (frequency score 4–5).', when: atLeast4('frequency') },
    { id: 'big_spender', name: 'Big spender', description: 'Monetary score 4–5.', when: atLeast4('monetary') },
    { id: 'engaged_online', name: 'Engaged online', description: 'High site visits, time online or interaction.', when: { any: ['visits', 'time_online', 'interaction'].map(atLeast4) } },
    { id: 'member', name: 'Member-minded', description: 'High willingness to register as a member.', when: atLeast4('membership') },
    { id: 'cross_buyer', name: 'Cross buyer', description: 'Buys across categories (cross-purchase score 4–5).', when: atLeast4('cross') },
    { id: 'loyal_base', name: 'Loyal base', description: 'Repeat purchases and a long relationship.', when: { all: [atLeast4('repeat'), atLeast4('relationship')] } },
    { id: 'rates_us_highly', name: 'Rates us highly', description: 'High rating and high willingness to recommend.', when: { all: [atLeast4('rating'), atLeast4('recommend')] } },
    { id: 'unhappy', name: 'Unhappy', description: 'Low rating or low brand perception.', when: { any: [atMost2('rating'), atMost2('brand')] } },
  ],
  segments: [
    {
      id: 'a_ambassadors', name: 'Brand ambassadors', level: 'key', when: { all: [{ class: ['A'] }, 'rates_us_highly'] },
      description: 'Class A customers who rate us highly and would recommend us.',
      playbook: 'VIP service, early access, referral and review programmes; make them visible advocates.',
    },
    {
      id: 'a_grievance', name: 'VIPs with a grievance', level: 'key', when: { all: [{ class: ['A'] }, '!rates_us_highly', 'unhappy'] },
      description: 'Class A customers with a low rating or brand perception.',
      playbook: 'Personal contact from an account manager within days; fix the cause before any sales offer.',
    },
    {
      id: 'a_active', name: 'Active VIPs', level: 'key', when: { all: [{ class: ['A'] }, '!rates_us_highly', '!unhappy', 'recent'] },
      description: 'Class A, buying recently, satisfied but not yet advocates.',
      playbook: 'Dedicated service and priority offers; invite them to rate and recommend.',
    },
    {
      id: 'a_dormant', name: 'Dormant VIPs', level: 'key', when: { all: [{ class: ['A'] }, '!rates_us_highly', '!unhappy', '!recent'] },
      description: 'Class A customers who have not bought recently.',
      playbook: 'Priority win-back: a personal call or exclusive offer before they drift to a competitor.',
    },
    {
      id: 'b_rising', name: 'Rising stars', level: 'key', when: { all: [{ class: ['B'] }, 'recent', 'frequent'] },
      description: 'Class B customers who buy recently and often.',
      playbook: 'Invest: loyalty benefits and personalised upgrades to turn them into class A.',
    },
    {
      id: 'b_big_occasional', name: 'Occasional big spenders', level: 'key', when: { all: [{ class: ['B'] }, 'recent', '!frequent', 'big_spender'] },
      description: 'Class B, recent, spend a lot per visit but come rarely.',
      playbook: 'Raise frequency: replenishment reminders, subscriptions, bundles for the next visit.',
    },
    {
      id: 'b_steady', name: 'Steady mid-value', level: 'key', when: { all: [{ class: ['B'] }, 'recent', '!frequent', '!big_spender'] },
      description: 'Class B, recent, moderate frequency and spend.',
      playbook: 'Cross-sell and personalised recommendations to lift basket size.',
    },
    {
      id: 'b_loyal_cooling', name: 'Loyal but cooling', level: 'key', when: { all: [{ class: ['B'] }, '!recent', 'loyal_base'] },
      description: 'Class B with a long repeat-buying history, but no recent purchase.',
      playbook: 'Thank-you offer recognising their history; ask what changed.',
    },
    {
      id: 'b_slipping', name: 'Slipping mid-value', level: 'key', when: { all: [{ class: ['B'] }, '!recent', '!loyal_base'] },
      description: 'Class B, no recent purchase and no long loyalty history.',
      playbook: 'Time-limited reactivation offer; drop to low-cost contact if there is no response.',
    },
    {
      id: 'c_engaged_members', name: 'Engaged members', level: 'developing', when: { all: [{ class: ['C'] }, 'engaged_online', 'member'] },
      description: 'Class C, active online and keen on membership.',
      playbook: 'Member-only offers and content that convert engagement into purchases.',
    },
    {
      id: 'c_browsers', name: 'Browsers to register', level: 'developing', when: { all: [{ class: ['C'] }, 'engaged_online', '!member'] },
      description: 'Class C, active online but not keen on membership.',
      playbook: 'Easy registration with a first-purchase incentive; retarget the products they browse.',
    },
    {
      id: 'c_cross_sell', name: 'Cross-sell prospects', level: 'developing', when: { all: [{ class: ['C'] }, '!engaged_online', 'cross_buyer'] },
      description: 'Class C, little online activity but buying across categories.',
      playbook: 'Bundles and category recommendations by their preferred channel.',
    },
    {
      id: 'c_light_recent', name: 'New or light buyers', level: 'developing', when: { all: [{ class: ['C'] }, '!engaged_online', '!cross_buyer', 'recent'] },
      description: 'Class C, recent purchase, little engagement so far.',
      playbook: 'Onboarding series and a second-purchase incentive.',
    },
    {
      id: 'c_fading', name: 'Fading light buyers', level: 'developing', when: { all: [{ class: ['C'] }, '!engaged_online', '!cross_buyer', '!recent'] },
      description: 'Class C, not recent and little engagement.',
      playbook: 'Low-cost automated reminders only.',
    },
    {
      id: 'd_unhappy', name: 'Unhappy low-value', level: 'marginal', when: { all: [{ class: ['D'] }, 'unhappy'] },
      description: 'Class D with a low rating or brand perception.',
      playbook: 'Resolve complaints through standard service (reputation matters); no sales investment.',
    },
    {
      id: 'd_active', name: 'Active low-value', level: 'marginal', when: { all: [{ class: ['D'] }, '!unhappy', { any: ['recent', 'engaged_online'] }] },
      description: 'Class D but recently buying or active online.',
      playbook: 'Self-service and automated, low-cost nurturing; watch for a move up to class C.',
    },
    {
      id: 'd_lapsed', name: 'Lapsed low-value', level: 'marginal', when: { all: [{ class: ['D'] }, '!unhappy', '!recent', '!engaged_online'] },
      description: 'Class D, neither recent nor engaged.',
      playbook: 'No active investment; keep only in the cheapest channels.',
    },
  ],
};

/** Shipped maps by name (`--segments rfm`). */
export const BUILTIN_SEGMENTS: Readonly<Record<string, SegmentConfigInput>> = { value17: VALUE17_SEGMENTS, rfm: RFM_SEGMENTS };

/**
 * The first shipped map (value17, then rfm) whose rules read only scores in
 * `indicators`, compiled; undefined when none does. `indicators` undefined:
 * scores are not checked. The default of both `cvnet segment` and the server.
 */
export function fittingBuiltinSegments(indicators: readonly string[] | undefined): { name: string; engine: SegmentEngine } | undefined {
  for (const [name, config] of Object.entries(BUILTIN_SEGMENTS)) {
    try {
      return { name, engine: compileSegments(config, { file: `segment map "${name}"`, ...(indicators === undefined ? {} : { indicators }) }) };
    } catch (error) {
      // A map reading a score the indicators lack: try the next one.
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return undefined;
}
