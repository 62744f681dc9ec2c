import type { ProviderNormalizer } from '../context.js';

// Placeholder while the cloud mapper is being written in this session; not committed as is.
export const normalizeCloud: ProviderNormalizer = () => [];
