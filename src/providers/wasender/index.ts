import type { ProviderNormalizer } from '../context.js';

// Placeholder while the wasender mapper is being written in this session; not committed as is.
export const normalizeWasender: ProviderNormalizer = () => [];
