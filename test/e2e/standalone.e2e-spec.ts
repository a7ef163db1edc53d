import { StandaloneModule } from '../../apps/standalone/src/standalone.module';
import { startTestApp, type TestApp } from '../support/app';

describe('standalone app', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp((options) => StandaloneModule.forRoot(options))));
  afterAll(() => t.destroy());

  it('answers readiness once its event store answers, without a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' } } });
  });

  it('serves its OpenAPI description at /api/docs-json and the browsable docs at /api/docs', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().paths).toHaveProperty(['/health/ready']);
    expect((await t.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(200);
  });

  it('refuses a malformed JSON body with 400 and the common error shape', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/dev/token',
      headers: { 'content-type': 'application/json' },
      payload: '{"userId":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, code: expect.any(String), message: expect.stringMatching(/JSON/) });
  });
});
