import { ApiHeader } from '@nestjs/swagger';

const COMMAND_HEADERS = [
  {
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retry safe: the first response is returned and nothing is written twice',
  },
  { name: 'If-Match', required: false, description: 'The revision (ETag) you last saw; a stale one is 409' },
];

/** Documents the platform's command headers on a route. */
export const commandHeaders = () => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
  for (const header of COMMAND_HEADERS) ApiHeader(header)(target, key!, descriptor!);
};
