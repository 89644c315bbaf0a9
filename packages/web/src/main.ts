/**
 * The page: picks files, sends them to the worker, shows progress, errors and
 * results. It never imports @cvnet/core: all computing happens in the worker.
 */
import './style.css';
import { curveChart } from './charts.js';
import { WorkerClient } from './client.js';
import type { Failure, InputFile, Response, Result } from './protocol.js';
import { CustomerTable, renderExplanation, renderResult } from './view.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const ui = {
  dataInput: $<HTMLInputElement>('data-input'),
  dataName: $('data-name'),
  drop: document.querySelector<HTMLElement>('.drop')!,
  demo: $<HTMLButtonElement>('demo'),
  systemFile: $<HTMLInputElement>('system-file'),
  configInput: $<HTMLInputElement>('config-input'),
  seed: $<HTMLInputElement>('seed'),
  train: $<HTMLButtonElement>('train'),
  cancel: $<HTMLButtonElement>('cancel'),
  modelInput: $<HTMLInputElement>('model-input'),
  score: $<HTMLButtonElement>('score'),
  status: $('status'),
  error: $('error'),
  curveCard: $('curve-card'),
  curve: $('curve'),
  trainingSummary: $('training-summary'),
  results: $('results'),
  downloadCsv: $<HTMLAnchorElement>('download-csv'),
  downloadModel: $<HTMLAnchorElement>('download-model'),
};

const table = new CustomerTable($<HTMLTableElement>('customers'), $('table-note'), (index) => {
  // The worker is busy training or scoring: the explanation would describe the old model.
  if (client.busy) return;
  client.send({ type: 'explain', index });
});
let data: InputFile | undefined;
let started = 0;
const live = { epochs: [] as number[], perf: [] as number[], frame: 0 };

const fileOf = (input: HTMLInputElement): InputFile | undefined => {
  const file = input.files?.[0];
  return file ? { name: file.name, blob: file } : undefined;
};

function setStatus(state: 'idle' | 'running' | 'done' | 'cancelled' | 'error', text: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function setBusy(busy: boolean, training = false): void {
  ui.train.disabled = busy || !data;
  ui.score.disabled = busy || !data || !ui.modelInput.files?.length;
  ui.cancel.disabled = !(busy && training);
  ui.demo.disabled = busy;
}

const INPUT_NAMES: Record<Failure['input'], string> = { data: 'the customer file', config: 'the project config', model: 'the model file', engine: 'the engine' };

function showError(failure: Pick<Failure, 'input' | 'message' | 'row' | 'column'>): void {
  const where = [failure.row === undefined ? '' : `row ${failure.row}`, failure.column === undefined ? '' : `column "${failure.column}"`].filter(Boolean).join(', ');
  ui.error.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = `Problem in ${INPUT_NAMES[failure.input]}${where ? ` at ${where}` : ''}`;
  const message = document.createElement('pre');
  message.dataset.testid = 'error-message';
  message.textContent = failure.message;
  ui.error.append(title, message);
  if (failure.row !== undefined) ui.error.dataset.row = String(failure.row);
  else delete ui.error.dataset.row;
  if (failure.column !== undefined) ui.error.dataset.column = failure.column;
  else delete ui.error.dataset.column;
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.replaceChildren();
}

function setData(file: InputFile | undefined, note = ''): void {
  data = file;
  ui.dataName.textContent = file ? `${file.name} (${(file.blob.size / 1024).toFixed(1)} KiB)${note}` : 'No file yet.';
  clearError();
  setBusy(client.busy);
  if (file) setStatus('idle', 'Ready: train a model, or load a model file to score without training.');
}

/** Replaces a download link's file; the old object URL is released. */
function offer(link: HTMLAnchorElement, name: string, text: string, type: string): void {
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
}

function drawCurve(): void {
  live.frame = 0;
  ui.curve.innerHTML = curveChart(live.epochs, live.perf);
}

function showResult(result: Result): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const t = result.training;
  if (t) {
    live.epochs = t.perf.map((_, i) => i);
    live.perf = t.perf;
    drawCurve();
    ui.trainingSummary.textContent = `Network ${t.network}, ${t.epochs} epochs (stopped: ${t.stop}, best epoch ${t.bestEpoch}). ` +
      `Stratified sample ${t.sample.size}: ${t.sample.train} training, ${t.sample.test} test. ` +
      `Test MSE ${t.evaluation.mse.toPrecision(4)}, class accuracy ${(100 * t.evaluation.accuracy).toFixed(1)} % on ${t.evaluation.n} test customers.`;
  }
  ui.curveCard.hidden = !t;
  const stem = data!.name.replace(/\.[^.]*$/, '') || 'customers';
  offer(ui.downloadCsv, `${stem}.classified.csv`, result.csv, 'text/csv');
  offer(ui.downloadModel, result.model.name, result.model.text, 'application/json');
  renderResult(result, table);
  $('explain-card').hidden = true;
  ui.results.hidden = false;
  setStatus('done', result.mode === 'train'
    ? `Trained and classified ${result.customers.length} customers in ${seconds} s.`
    : `Scored ${result.customers.length} customers with ${result.model.name} in ${seconds} s.`);
}

function onMessage(message: Response): void {
  switch (message.type) {
    case 'progress':
      live.epochs.push(...message.epochs);
      live.perf.push(...message.perf);
      setStatus('running', `Training… epoch ${live.epochs[live.epochs.length - 1]}, MSE ${live.perf[live.perf.length - 1]!.toPrecision(4)}`);
      live.frame ||= requestAnimationFrame(drawCurve);
      return;
    case 'cancelled':
      setStatus('cancelled', message.epoch >= 0 ? `Training cancelled at epoch ${message.epoch}.` : 'Training cancelled.');
      break;
    case 'demo':
      setData({ name: message.file.name, blob: new Blob([message.file.text], { type: 'text/csv' }) }, ' (synthetic: not real customers)');
      break;
    case 'error':
      if (live.perf.length === 0) ui.curveCard.hidden = true;
      showError(message);
      setStatus('error', 'Stopped: see the problem below.');
      break;
    case 'result':
      showResult(message);
      break;
    case 'explanation':
      renderExplanation(message);
      break;
  }
  setBusy(false);
}

const client = new WorkerClient(onMessage);

function seed(): number | undefined | Error {
  const text = ui.seed.value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : new Error(`seed must be an integer from 0 to 4294967295, got "${text}"`);
}

ui.dataInput.addEventListener('change', () => setData(fileOf(ui.dataInput)));
ui.drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (event) => {
  event.preventDefault();
  ui.drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) setData({ name: file.name, blob: file });
});
ui.demo.addEventListener('click', () => {
  setBusy(true);
  client.send({ type: 'demo', customers: 548, seed: 1 });
});
ui.configInput.addEventListener('change', () => {
  ui.systemFile.checked = true;
});
ui.modelInput.addEventListener('change', () => setBusy(client.busy));

ui.train.addEventListener('click', () => {
  if (!data) return;
  clearError();
  const s = seed();
  if (s instanceof Error) return showError({ input: 'config', message: s.message });
  const config = ui.systemFile.checked ? fileOf(ui.configInput) : undefined;
  if (ui.systemFile.checked && !config) return showError({ input: 'config', message: 'choose a project config file, or select the bundled default system' });
  live.epochs = [];
  live.perf = [];
  ui.curveCard.hidden = false;
  ui.trainingSummary.textContent = `Cancel stops the run ${client.cancelMode === 'shared-flag' ? 'within one epoch' : 'by restarting the worker'}.`;
  drawCurve();
  started = performance.now();
  setStatus('running', 'Training…');
  setBusy(true, true);
  client.send({ type: 'train', data, ...(config ? { config } : {}), ...(s === undefined ? {} : { seed: s }) });
});

ui.cancel.addEventListener('click', () => client.cancel());

ui.score.addEventListener('click', () => {
  const model = fileOf(ui.modelInput);
  if (!data || !model) return;
  clearError();
  started = performance.now();
  setStatus('running', 'Scoring…');
  setBusy(true);
  client.send({ type: 'score', data, model });
});

document.documentElement.dataset.cancel = client.cancelMode;
