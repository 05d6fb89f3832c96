/** Jest's global setup: makes sure the playground's assets are built before any test serves them. */
import { buildPlaygroundAssets } from './build-playground-assets';

/** Builds the playground unless its assets are current. */
export default async function buildBeforeTests(): Promise<void> {
  await buildPlaygroundAssets();
}
