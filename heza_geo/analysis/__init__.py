"""What the figures say: functions from frames to frames and numbers, in the domain's words.

Modules: ``filters`` (parks and plots a :class:`~heza_geo.view.Filters` keeps), ``indicators``
(land and distance), ``joins`` (parks ⨝ plots ⨝ occupancy ⨝ investment, berths ⨝ their record),
``selection`` (the frames of one view, for the map page and every export), ``occupancy``,
``investment``, ``port`` (Lạch Huyện over time), ``land_finder`` (the investor's needs → parks and
sites, with reasons), ``compare`` (parks side by side).

What the pages show of them, in the reader's language: ``sources`` (a figure's provenance in
words, the source notes), ``cards`` (indicator cards), ``panels`` (a park's detail panel, a flow's
headline, the land finder's results), ``charts`` (the frames the slide-ready charts draw),
``tables`` (the occupancy, investment and port tables), ``staff`` (the staff page's tables).
Nothing here imports folium or Streamlit.
"""

__all__ = ["cards", "charts", "compare", "filters", "indicators", "investment", "joins", "land_finder", "occupancy",
           "panels", "port", "selection", "sources", "staff", "tables"]
