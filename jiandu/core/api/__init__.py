"""The framework layer of the REST API: every endpoint reads through `visible_to` once, writes through a
service, rejects what it does not understand with a 4xx and a message, and answers errors in one shape.

- viewsets.py    ScopedViewSet (+ create/update mixins): what an area's `api/views.py` builds on
- serializers.py StrictModelSerializer, scoped related fields: what an area's `api/serializers.py` builds on
- parsers.py, listing.py, errors.py: the JSON parser, pagination, search/ordering and the exception
  handler that settings.REST_FRAMEWORK names (they must not import rest_framework.views)
"""
