export {
  explainCustomers,
  explanationFields,
  explanationHeader,
  explanationObject,
  type Baseline,
  type CustomerExplanation,
  type ExplainOptions,
  type Explanations,
} from './integrated.js';
export * from './importance.js';
export { createInputGradient, inputGradient, type InputGradient } from './gradient.js';
