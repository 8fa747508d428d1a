/* mm-format.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every number a person reads goes through here, so the app and the command
 * line say "48.2 k" and "5 months ago" the same way and tests can pin it.
 */
#define G_LOG_DOMAIN "mm-format"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "mm-format.h"
#include "mm-path.h"

/**
 * mm_format_count:
 * @count: a download or like count, negative when unknown
 *
 * Returns: (transfer full): "950", "48.2 k", "1.3 M", or "—" when unknown
 */
char *
mm_format_count (gint64 count)
{
  if (count < 0)
    return g_strdup ("—");
  if (count < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT, count);
  if (count < 1000000)
    /* Translators: a count in thousands, e.g. "48.2 k" */
    return g_strdup_printf (_("%.1f k"), count / 1000.0);
  if (count < 1000000000)
    /* Translators: a count in millions, e.g. "1.3 M" */
    return g_strdup_printf (_("%.1f M"), count / 1000000.0);
  /* Translators: a count in billions, e.g. "2.1 B" */
  return g_strdup_printf (_("%.1f B"), count / 1000000000.0);
}

/**
 * mm_format_size:
 * @bytes: a size in bytes
 *
 * Returns: (transfer full): a size in decimal units, as GNOME shows them
 */
char *
mm_format_size (guint64 bytes)
{
  return g_format_size (bytes);
}

/**
 * mm_format_params:
 * @parameters: a parameter count
 *
 * Returns: (transfer full): "1.1 B", "260 M", or %NULL when 0
 */
char *
mm_format_params (guint64 parameters)
{
  if (parameters == 0)
    return NULL;
  if (parameters >= 1000000000)
    /* Translators: a parameter count in billions, e.g. "1.1 B parameters" */
    return g_strdup_printf (_("%.1f B parameters"), parameters / 1e9);
  /* Translators: a parameter count in millions, e.g. "260 M parameters" */
  return g_strdup_printf (_("%.0f M parameters"), parameters / 1e6);
}

/**
 * mm_format_relative:
 * @when: (nullable): a past moment
 * @now: (nullable): the present, %NULL for the clock's
 *
 * Returns: (transfer full): "just now", "3 days ago", "5 months ago", … or
 *   "unknown" when @when is %NULL
 */
char *
mm_format_relative (GDateTime *when,
                    GDateTime *now)
{
  g_autoptr(GDateTime) clock_now = NULL;
  GTimeSpan span;
  int n;

  if (when == NULL)
    return g_strdup (_("unknown"));

  if (now == NULL)
    now = clock_now = g_date_time_new_now_utc ();

  span = g_date_time_difference (now, when);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = (int) (span / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", n), n);
    }
  if (span < G_TIME_SPAN_DAY)
    {
      n = (int) (span / G_TIME_SPAN_HOUR);
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", n), n);
    }
  if (span < 30 * G_TIME_SPAN_DAY)
    {
      n = (int) (span / G_TIME_SPAN_DAY);
      return g_strdup_printf (ngettext ("%d day ago", "%d days ago", n), n);
    }
  if (span < 365 * G_TIME_SPAN_DAY)
    {
      n = (int) (span / (30 * G_TIME_SPAN_DAY));
      return g_strdup_printf (ngettext ("%d month ago", "%d months ago", n), n);
    }

  n = (int) (span / (365 * G_TIME_SPAN_DAY));
  return g_strdup_printf (ngettext ("%d year ago", "%d years ago", n), n);
}

/**
 * mm_format_date:
 * @when: (nullable): a moment
 *
 * Returns: (transfer full): the date and time in full, in @when's time
 *   zone ("3 March 2026, 14:05"), or "unknown" when @when is %NULL
 */
char *
mm_format_date (GDateTime *when)
{
  if (when == NULL)
    return g_strdup (_("unknown"));

  /* Translators: a date and time in full, in g_date_time_format() codes:
   * "3 March 2026, 14:05". Reorder them as your language writes dates. */
  return g_date_time_format (when, _("%-d %B %Y, %H:%M"));
}

/**
 * mm_format_folder:
 * @path: an absolute path
 *
 * Returns: (transfer full): the path to show a person: the home folder as
 *   `~`, and made printable with mm_path_to_display()
 */
char *
mm_format_folder (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize home_len = home != NULL ? strlen (home) : 0;
  g_autofree char *short_path = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (home_len > 1 && g_str_has_prefix (path, home) &&
      (path[home_len] == '\0' || path[home_len] == G_DIR_SEPARATOR))
    short_path = g_strconcat ("~", path + home_len, NULL);

  return mm_path_to_display (short_path != NULL ? short_path : path);
}

/**
 * mm_format_speed:
 * @bytes_per_second: a transfer rate
 *
 * Returns: (transfer full): "45.2 MB/s", or "—" when nothing moves
 */
char *
mm_format_speed (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (bytes_per_second < 1)
    return g_strdup ("—");

  size = g_format_size ((guint64) bytes_per_second);
  /* Translators: a transfer rate, e.g. "45.2 MB/s" */
  return g_strdup_printf (_("%s/s"), size);
}

/**
 * mm_format_eta:
 * @seconds: time left, negative when unknown
 *
 * Returns: (transfer full): "8 s left", "3 min left", "2 h 5 min left", or
 *   %NULL when unknown
 */
char *
mm_format_eta (gint64 seconds)
{
  int n;

  if (seconds < 0)
    return NULL;
  if (seconds < 60)
    {
      n = (int) seconds;
      /* Translators: time left in a download, in seconds */
      return g_strdup_printf (ngettext ("%d second left", "%d seconds left", n), n);
    }
  if (seconds < 3600)
    {
      n = (int) ((seconds + 59) / 60);
      return g_strdup_printf (ngettext ("%d minute left", "%d minutes left", n), n);
    }
  if (seconds < 100 * 3600)
    {
      int hours = (int) (seconds / 3600);
      int minutes = (int) ((seconds % 3600) / 60);

      /* Translators: time left, hours and minutes, e.g. "2 h 5 min left" */
      return g_strdup_printf (_("%d h %d min left"), hours, minutes);
    }

  return g_strdup (_("more than 4 days left"));
}

/**
 * mm_format_elapsed:
 * @seconds: time spent
 *
 * Returns: (transfer full): "0:07", "12:30" or "1:02:03"
 */
char *
mm_format_elapsed (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds < 3600)
    return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));

  return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600),
                          (int) ((seconds % 3600) / 60), (int) (seconds % 60));
}

/**
 * mm_format_progress:
 * @done: bytes done
 * @total: bytes in all
 *
 * Returns: (transfer full): "312.0 MB of 668.0 MB"
 */
char *
mm_format_progress (guint64 done,
                    guint64 total)
{
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = g_format_size (total);

  /* Translators: bytes downloaded of the total, e.g. "312.0 MB of 668.0 MB" */
  return g_strdup_printf (_("%s of %s"), done_text, total_text);
}
