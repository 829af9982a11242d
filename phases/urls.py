from django.urls import path

from phases.views import public

app_name = "phases"
urlpatterns = [
    path("", public.timeline, name="public-home"),
    path("calendar/", public.calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", public.calendar_month, name="calendar-month"),
    path("calendar.ics", public.ical_feed, name="ical"),
    path("calendar/<slug:kind>.ics", public.ical_feed, name="ical-kind"),
    path("meetings/<slug:key>/", public.meeting, name="meeting"),
    path("meetings/<slug:key>/calendar.ics", public.meeting_ical, name="meeting-ical"),
]
