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
 * mm_format_integer:
 * @value: an exact figure, such as a token count or a number of layers
 *
 * Returns: (transfer full): the figure with its digits grouped as the
 *   locale groups them: "4,096" in English, "4.096" in German
 */
char *
mm_format_integer (guint64 value)
{
  return g_strdup_printf ("%'lu", (gulong) MIN (value, G_MAXULONG));
}

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
 * The same decimal units as g_format_size() ("667.8 MB", "12.3 kB"), but
 * with our own translations: GLib's German one writes "KB", which is not
 * the unit, and a size must read the same on every screen of the app.
 *
 * Returns: (transfer full): a size in decimal units, as GNOME shows them
 */
char *
mm_format_size (guint64 bytes)
{
  if (bytes < 1000)
    /* Translators: a size in bytes; the space is a no-break space */
    return g_strdup_printf (ngettext ("%u byte", "%u bytes", (gulong) bytes),
                            (guint) bytes);
  if (bytes < G_GUINT64_CONSTANT (1000000))
    /* Translators: kilobytes (1000 bytes): keep "kB", the SI symbol with a
     * small k; the space is a no-break space */
    return g_strdup_printf (_("%.1f kB"), bytes / 1e3);
  if (bytes < G_GUINT64_CONSTANT (1000000000))
    /* Translators: megabytes; the space is a no-break space */
    return g_strdup_printf (_("%.1f MB"), bytes / 1e6);
  if (bytes < G_GUINT64_CONSTANT (1000000000000))
    /* Translators: gigabytes; the space is a no-break space */
    return g_strdup_printf (_("%.1f GB"), bytes / 1e9);
  if (bytes < G_GUINT64_CONSTANT (1000000000000000))
    /* Translators: terabytes; the space is a no-break space */
    return g_strdup_printf (_("%.1f TB"), bytes / 1e12);
  /* Translators: petabytes; the space is a no-break space */
  return g_strdup_printf (_("%.1f PB"), bytes / 1e15);
}

/**
 * mm_format_params:
 * @parameters: a parameter count
 *
 * Returns: (transfer full): "1.1B parameters", "260M parameters" (as model
 *   names and cards write it), or %NULL when 0
 */
char *
mm_format_params (guint64 parameters)
{
  if (parameters == 0)
    return NULL;
  if (parameters >= 1000000000)
    /* Translators: a parameter count in billions, e.g. "1.1B parameters",
     * written as model names write it, without a space before the B */
    return g_strdup_printf (_("%.1fB parameters"), parameters / 1e9);
  /* Translators: a parameter count in millions, e.g. "260M parameters" */
  return g_strdup_printf (_("%.0fM parameters"), parameters / 1e6);
}

/**
 * mm_format_params_short:
 * @parameters: a parameter count
 *
 * Returns: (transfer full) (nullable): "1.1B", "70B", "260M" (as model
 *   names write it), or %NULL when 0
 */
char *
mm_format_params_short (guint64 parameters)
{
  if (parameters == 0)
    return NULL;
  if (parameters >= 10000000000)
    /* Translators: a parameter count in billions without decimals, e.g. "70B",
     * written as model names write it */
    return g_strdup_printf (_("%.0fB"), parameters / 1e9);
  if (parameters >= 1000000000)
    /* Translators: a parameter count in billions, e.g. "1.1B" */
    return g_strdup_printf (_("%.1fB"), parameters / 1e9);
  if (parameters >= 1000000)
    /* Translators: a parameter count in millions, e.g. "260M" */
    return g_strdup_printf (_("%.0fM"), parameters / 1e6);
  /* Translators: a parameter count in thousands, e.g. "525K" */
  return g_strdup_printf (_("%.0fK"), MAX (parameters / 1e3, 1));
}

/* The licenses the Hub's model cards name most, by their `license:` id.
 * Names are not translated: they are the licenses' own. */
static const struct {
  const char *id;
  const char *name;
} licenses[] = {
  { "afl-3.0", "AFL 3.0" },
  { "agpl-3.0", "AGPL 3.0" },
  { "apache-2.0", "Apache 2.0" },
  { "artistic-2.0", "Artistic 2.0" },
  { "bigcode-openrail-m", "BigCode OpenRAIL-M" },
  { "bigscience-bloom-rail-1.0", "BigScience BLOOM RAIL 1.0" },
  { "bigscience-openrail-m", "BigScience OpenRAIL-M" },
  { "bsd", "BSD" },
  { "bsd-2-clause", "BSD 2-Clause" },
  { "bsd-3-clause", "BSD 3-Clause" },
  { "cc-by-2.0", "CC BY 2.0" },
  { "cc-by-3.0", "CC BY 3.0" },
  { "cc-by-4.0", "CC BY 4.0" },
  { "cc-by-nc-4.0", "CC BY-NC 4.0" },
  { "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0" },
  { "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0" },
  { "cc-by-sa-4.0", "CC BY-SA 4.0" },
  { "cc0-1.0", "CC0 1.0" },
  { "creativeml-openrail-m", "CreativeML OpenRAIL-M" },
  { "gemma", "Gemma Terms of Use" },
  { "gpl-2.0", "GPL 2.0" },
  { "gpl-3.0", "GPL 3.0" },
  { "lgpl-2.1", "LGPL 2.1" },
  { "lgpl-3.0", "LGPL 3.0" },
  { "llama2", "Llama 2 Community License" },
  { "llama3", "Llama 3 Community License" },
  { "llama3.1", "Llama 3.1 Community License" },
  { "llama3.2", "Llama 3.2 Community License" },
  { "llama3.3", "Llama 3.3 Community License" },
  { "llama4", "Llama 4 Community License" },
  { "mit", "MIT" },
  { "mpl-2.0", "MPL 2.0" },
  { "openrail", "OpenRAIL" },
  { "openrail++", "OpenRAIL++" },
  { "unlicense", "Unlicense" },
  { "wtfpl", "WTFPL" },
};

/**
 * mm_format_license:
 * @id: (nullable): a license id from the Hub, such as "apache-2.0"
 *
 * Returns: (transfer full) (nullable): the license by its name ("Apache
 *   2.0", "MIT"); an id the table does not know as it is, made printable;
 *   %NULL for %NULL or ""
 */
char *
mm_format_license (const char *id)
{
  if (id == NULL || *id == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (licenses); i++)
    if (g_ascii_strcasecmp (id, licenses[i].id) == 0)
      return g_strdup (licenses[i].name);

  if (g_ascii_strcasecmp (id, "other") == 0)
    /* Translators: the license of a model whose card names none of the usual ones */
    return g_strdup (C_("license", "Other"));

  return mm_path_to_display (id);
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

  size = mm_format_size ((guint64) bytes_per_second);
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
  g_autofree char *done_text = mm_format_size (done);
  g_autofree char *total_text = mm_format_size (total);

  /* Translators: bytes downloaded of the total, e.g. "312.0 MB of 668.0 MB" */
  return g_strdup_printf (_("%s of %s"), done_text, total_text);
}
