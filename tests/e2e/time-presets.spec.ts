// Choosing how long to train (issue "Defaults that fit a person's time"), in Chromium against `vae-studio serve`:
// the Train screen of a new generator project offers quick, good and best, each with how far it goes on this
// machine, starts on quick, and a quick run counts its five minutes down at once.
import { expect, type Page } from '@playwright/test';
import { createProject } from './new-project';
import { sharedStudioPage } from './shared-page';
import { test } from './studio-fixture';

test.describe.configure({ mode: 'serial' });

let page: Page;
let shot: (name: string) => Promise<void>;
sharedStudioPage('time-presets-', (p, s) => {
  page = p;
  shot = s;
});

test('the Train screen offers quick, good and best with how far each goes here, and quick counts its time down', async ({ studio }) => {
  await createProject(page, { name: 'Sketches in a hurry', folder: studio.artFolder, size: 32 });
  await expect(page.getByTestId('dataset-counts')).toContainText('24', { timeout: 60_000 });

  await page.getByTestId('nav-train').click();
  await expect(page.getByTestId('train-time-quick')).toContainText('Quick · about 5 min');
  await expect(page.getByTestId('train-time-good')).toContainText('Good · about 20 min');
  await expect(page.getByTestId('train-time-best')).toContainText(/Best · as long as it takes \(\d+ epochs\)/);
  await expect(page.getByTestId('train-time-quick').locator('input'), 'a new generator project starts on quick').toBeChecked();
  // The project has never trained: the speed comes from this machine's last training at this size (another spec
  // may have trained one in this studio) or from a few steps timed now; then each choice says how far it goes.
  const passes = /^≈ [\d,]+ steps, about [\d,.]+ passes over your \d+ images/;
  await expect(page.getByTestId('train-estimate-quick')).toHaveText(passes, { timeout: 60_000 });
  await expect(page.getByTestId('train-estimate-good')).toHaveText(passes);
  await expect(page.getByTestId('train-estimate-best')).toHaveText(/: about \d+ (s|min|h)/);
  await expect(page.getByTestId('train-speed')).toHaveText(
    /^On this machine, (from a few training steps timed just now|at the speed this machine last trained images of this size at): about [\d,.]+ images a second\.$/,
  );
  // Good buys about four times quick's steps.
  const steps = async (preset: string) => Number((await page.getByTestId(`train-estimate-${preset}`).textContent())!.match(/≈ ([\d,]+) steps/)![1].replace(/,/g, ''));
  expect((await steps('good')) / (await steps('quick'))).toBeCloseTo(4, 0);
  await expect(page.getByTestId('train-epochs'), 'epochs wait under Details').toBeHidden();
  const details = page.getByTestId('train-details').locator('summary');
  await details.click();
  await expect(page.getByTestId('train-network'), 'the network, under Details, starts on the default').toHaveValue('spatial');
  await expect(page.getByTestId('train-network').locator('option')).toHaveText([/^Spatial/, /^Classic/, /^Residual/]);
  await expect(page.getByTestId('train-from-scratch'), 'no shipped model to start a 32×32 project from').toHaveCount(0);
  await details.click();
  await shot('01-choices');

  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toContainText('Running', { timeout: 60_000 });
  // The budget is known from the start, so there is no "estimating…": the time left counts down from 5 minutes.
  const eta = page.getByTestId('train-eta');
  await expect(eta).toHaveText(/^[45]m \d\ds of 5 min$/);
  const left = async () => {
    const [, m, s] = (await eta.textContent())!.match(/^(\d)m (\d\d)s/)!;
    return Number(m) * 60 + Number(s);
  };
  const first = await left();
  await expect.poll(left, { timeout: 30_000 }).toBeLessThan(first - 2);
  await expect(page.getByTestId('train-epoch'), 'a run measured in time has no last epoch').toHaveText(/^\d+$/);
  await shot('02-quick-running');

  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toContainText('Idle');
  await expect(page.getByTestId('train-saved')).toContainText(/Saved at step \d+/);
  await expect(page.getByTestId('train-start')).toHaveText(/Continue training from step \d+/);
});

test('a new 64×64 project of latent 128 starts from the model trained on photos unless told to start from random weights', async ({ studio }) => {
  await createProject(page, { name: 'Drawings at 64', folder: studio.artFolder, size: 64, latent: 128 });
  await expect(page.getByTestId('dataset-counts')).toContainText('24', { timeout: 60_000 });

  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-details').locator('summary').click();
  await expect(page.getByTestId('train-network'), 'a latent of 128 trains the classic network').toHaveValue('classic');
  const scratch = page.getByTestId('train-from-scratch');
  await expect(scratch).not.toBeChecked();
  await scratch.check();
  await expect(page.getByTestId('train-start')).toHaveText('Start training');
  await shot('03-start-from-random-weights');
  // Another network has no shipped model: the offer goes with it.
  await page.getByTestId('train-network').selectOption('residual');
  await expect(scratch).toHaveCount(0);
});
