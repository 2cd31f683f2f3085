"""Signed webhooks: a coach's endpoints and the deliveries of each event to them.

- ``models``: the endpoint and the delivery (the transactional outbox);
- ``services``: ``events_record`` (in the writer's transaction), endpoints, resends, outcomes;
- ``addresses``: which URLs and addresses may be called (SSRF);
- ``signing`` and ``sending``: the Standard Webhooks signature and the HTTP POST;
- ``selectors``, ``serializers``, ``api``, ``views``, ``forms``, ``tasks``.
"""
