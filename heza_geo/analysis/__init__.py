"""What the figures say: functions from frames to frames and numbers, in the domain's words.

Modules: ``filters`` (parks and plots a :class:`~heza_geo.view.Filters` keeps), ``indicators``
(land and distance), ``joins`` (parks ⨝ plots ⨝ occupancy ⨝ investment, berths ⨝ their record),
``selection`` (the frames of one view, for the map page and every export), ``occupancy``,
``investment``, ``port`` (Lạch Huyện over time), ``land_finder`` (the investor's needs → parks and
sites, with reasons), ``compare`` (parks side by side). Nothing here imports folium or Streamlit.
"""

__all__ = ["compare", "filters", "indicators", "investment", "joins", "land_finder", "occupancy", "port", "selection"]
