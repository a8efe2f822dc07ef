-- Hilal schema, version 38: which worker runs each training run.
--
-- A RUNNING request names the worker that claimed it, by the id its heartbeat row in
-- campaign_workers carries. When that heartbeat stops (the worker was killed mid-training), another
-- worker queues the run again at once instead of after the longest allowed run, and the run's
-- models are stored only by the worker that still holds it (see ModelStore).
ALTER TABLE training_requests ADD COLUMN worker_id VARCHAR(100) NULL AFTER status;
