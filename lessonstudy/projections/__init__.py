"""The read models: SQL tables kept from the event log, which every list a page shows
comes from, and the machinery that keeps and rebuilds them.

- what a read model is (base) and which ones the server keeps (registry): the dashboard
  (dashboard, read through dashboard_queries), the planners' misconception picker
  (misconception_index) and the catalogue (the catalogue package);
- keeping them current (follower) and rebuilding them from zero (the rebuild package),
  both through one runtime: decoding the log, committing a batch with its position,
  naming a failing event (runtime), over the stored positions (tracking) and the
  stored topics each view reads (topics);
- shared by the views: batched row writes (row_buffer), a note as the flat tuple the
  views read (recorded_note), their database (database), bulk garbage collection for a
  rebuild (bulk_gc).
"""
