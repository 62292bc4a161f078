import type { NextFunction, Request, Response } from 'express';

export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  if (req.headers.authorization === undefined) {
    res.status(401).json({ error: 'unauthorized' });
    return;
  }
  next();
}
