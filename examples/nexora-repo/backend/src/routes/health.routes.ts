import { Router } from 'express';
import { requireAuth } from '../middleware/auth';

export const healthRoutes = Router();

// Public: what the load balancer and the container health check must ask (no authentication).
healthRoutes.get('/alb', (_req, res) => {
  res.status(200).json({ status: 'ok', timestamp: new Date().toISOString(), service: 'nexora-api' });
});

// Authenticated: database and queue details, for operators (401 without a token).
healthRoutes.get('/', requireAuth, (_req, res) => {
  res.status(200).json({ status: 'ok', database: 'up', queue: 'up' });
});
