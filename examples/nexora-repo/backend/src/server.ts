import express from 'express';
import { healthRoutes } from './routes/health.routes';

const app = express();
app.use('/health', healthRoutes);
app.listen(3000, '0.0.0.0', () => console.log('[nexora-api] listening on 0.0.0.0:3000 (production)'));
