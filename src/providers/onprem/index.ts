import type { ProviderNormalizer } from '../context.js';

// Placeholder while the onprem mapper is being written in this session; not committed as is.
export const normalizeOnPrem: ProviderNormalizer = () => [];
