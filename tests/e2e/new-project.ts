// Creating a project from the Start screen's form, as a person fills it in.
import type { Page } from '@playwright/test';

export async function createProject(
  page: Page,
  { name, folder, kind = 'generate', size = 32, latent }: { name: string; folder: string; kind?: 'generate' | 'denoise'; size?: 32 | 64 | 128; latent?: number },
): Promise<void> {
  await page.getByTestId('nav-start').click();
  await page.getByTestId('new-project-name').fill(name);
  await page.getByTestId('new-project-kind').selectOption(kind);
  if (kind === 'generate') await page.getByTestId('new-project-size').selectOption(String(size));
  if (latent !== undefined) await page.getByTestId('new-project-latent').fill(String(latent));
  await page.getByTestId('new-project-folder').fill(folder);
  await page.getByTestId('new-project-create').click();
}
