/* mm-library-page.c
 *
 * SPDX-FileCopyrightText: 2026 Model Manager developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Library view: the models on disk, one MmLibraryRow per
 * MmLibraryEntry in a boxed list bound to the application's MmLibrary,
 * which watches its folders itself, so files that come and go (a finished
 * download, a copy in a file manager) show up without a reload. The list
 * is grouped by repo: the first row of each repo carries a heading with
 * the repo's name and owner (a GtkListBox header), and the rows under it
 * are named by their quantization.
 *
 * With more than one library folder (the download folder and LM Studio's,
 * say) each folder gets a section of its own: a heading with its name and
 * path over a list bound to a GtkFilterListModel of the library that keeps
 * the folder's entries, so it is always clear where a model lives. A
 * folder with no models says so in its list, and so does a folder that
 * was not found. With one folder there is one list and no heading. The
 * Hugging Face cache gets a section of its own, "Hugging Face Cache", when
 * it holds GGUF models (its rows say "HF cache" too, and what is wrong with
 * a broken one).
 *
 * The page shows a spinner while the first scan runs, a status page when
 * there is nothing, and the list with a footer of the total size
 * otherwise. It does what the rows ask: Verify hashes the files in a
 * worker thread, comparing them with the SHA-256 recorded at download or,
 * without a record, with the Hub's (through the window's Hub client), and
 * says the outcome, the file and where the checksum came from in a toast;
 * Delete moves the files aside at once (no question: the toast names
 * exactly the files that went and offers Undo). Only when that toast goes
 * away without Undo are the files given to the desktop's trash. Toasts
 * leave through the ::add-toast signal, which the window wires to its
 * overlay. A toast that is still showing when the page goes away (the
 * window is closed) counts as dismissed: the page commits those deletes
 * in its dispose, holding the application until they are done, so that
 * no file stays in the hidden .trash-mm folder. (Should the process end
 * first anyway, the library's next scan finishes them.)
 *
 * Updates: the page owns an MmUpdateChecker over the download records. A
 * line above the list says when the Hub was last asked, with Check for
 * Updates; in the background the page asks at most once a day (never on
 * a metered network). A row whose files changed upstream says "Update
 * available" and gets an Update button, which downloads only those files.
 */
#define G_LOG_DOMAIN "mm-library-page"

#include "config.h"

#include "mm-library-page.h"

#include "mm-compare-bar.h"
#include "mm-library-section.h"
#include "mm-repo-heading.h"

#include <glib/gi18n.h>
#include <string.h>

struct _MmLibraryPage
{
  GtkWidget     parent_instance;

  MmLibrary    *library;          /* (owned) (nullable) */
  MmHubClient  *client;           /* (owned) (nullable) */
  GCancellable *cancellable;      /* (owned) */
  MmMachine    *machine;      /* (owned) */
  MmCompareBar *compare_bar;
  GtkWidget    *main_box;

  GPtrArray    *lists;            /* (owned) (element-type GtkListBox) one a folder */
  GPtrArray    *pending;          /* (owned) (element-type PendingTrash) deletes with a toast */
  gboolean      showing_cache;    /* the Hugging Face cache has a section */
  guint         rebuild_id;

  MmUpdateChecker *checker;       /* (owned) (nullable) until there is a client */
  guint         background_id;

  GtkBox       *sections;
  GtkWidget    *check_button;
  GtkLabel     *updates_label;
  GtkSpinner   *spinner;
  GtkStack     *stack;
  GtkLabel     *total_label;
};

G_DEFINE_FINAL_TYPE (MmLibraryPage, mm_library_page, GTK_TYPE_WIDGET)

typedef enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_CLIENT,
  N_PROPS,
} MmLibraryPageProperty;

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ADD_TOAST,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
add_toast (MmLibraryPage *self,
           AdwToast      *toast)
{
  g_signal_emit (self, signals[SIGNAL_ADD_TOAST], 0, toast);
  g_object_unref (toast);
}

static const char *
entry_group_key (MmLibraryEntry *entry)
{
  const char *repo_id = mm_library_entry_get_repo_id (entry);

  return repo_id != NULL ? repo_id : mm_library_entry_get_name (entry);
}

/* What a toast names: the file ("Pico-Q8_0.gguf"), or for a split set the
 * model and quantization with the number of files. */
static char *
describe_files (MmLibraryEntry *entry)
{
  guint n = mm_library_entry_get_n_files (entry);
  g_autofree char *files = NULL;

  if (n == 1)
    {
      const MmLibraryFile *file = mm_library_entry_get_file (entry, 0);
      g_autofree char *base = g_path_get_basename (file->path);

      return mm_path_to_display (base);
    }

  files = g_strdup_printf (ngettext ("%u file", "%u files", n), n);
  /* Translators: a split model in a toast: "Giant-70B-GGUF Q4_K_M (3 files)" */
  return g_strdup_printf (_("%s %s (%s)"), mm_library_entry_get_name (entry),
                          mm_library_entry_get_label (entry), files);
}

static void
update_state (MmLibraryPage *self)
{
  guint n = self->library ? g_list_model_get_n_items (G_LIST_MODEL (self->library)) : 0;
  gboolean loading = self->library && mm_library_get_loading (self->library);
  const char *state;

  if (n > 0)
    state = "list";
  else if (loading)
    state = "loading";
  else
    state = "empty";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);

  if (n > 0)
    {
      g_autofree char *size = mm_format_size (mm_library_get_total_size (self->library));
      g_autoptr(GHashTable) repos = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *models = NULL;
      g_autofree char *files = NULL;
      g_autofree char *text = NULL;
      guint n_files = 0;

      /* A model is a repo (or a loose folder), whatever number of
       * quantizations of it are here; its files are counted apart. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->library), i);

          g_hash_table_add (repos, (gpointer) entry_group_key (entry));
          n_files += mm_library_entry_get_n_files (entry);
        }

      models = g_strdup_printf (ngettext ("%u model", "%u models",
                                          g_hash_table_size (repos)),
                                g_hash_table_size (repos));
      files = g_strdup_printf (ngettext ("%u file", "%u files", n_files), n_files);
      /* Translators: the Library's footer: "2 models · 3 files · 4.2 GB on disk" */
      text = g_strdup_printf (_("%s · %s · %s on disk"), models, files, size);
      gtk_label_set_label (self->total_label, text);
    }
}

static MmLibraryRow *
find_row_for_entry (MmLibraryPage  *self,
                    MmLibraryEntry *entry)
{
  for (guint i = 0; i < self->lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (self->lists, i);

      for (GtkWidget *child = gtk_widget_get_first_child (list);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (MM_IS_LIBRARY_ROW (child) &&
              mm_library_row_get_entry (MM_LIBRARY_ROW (child)) == entry)
            return MM_LIBRARY_ROW (child);
        }
    }

  return NULL;
}

/* Verify */

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(MmLibraryPage) self = user_data;
  MmLibraryEntry *entry = MM_LIBRARY_ENTRY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *what = NULL;
  MmLibraryVerifySource from = MM_LIBRARY_VERIFY_SOURCE_NONE;
  MmLibraryVerifyResult verdict;
  MmLibraryRow *row;

  verdict = mm_library_entry_verify_with_hub_finish (entry, result, &from, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  row = find_row_for_entry (self, entry);
  if (row != NULL)
    mm_library_row_set_verifying (row, FALSE);
  what = describe_files (entry);

  if (error != NULL && error->domain == MM_HUB_ERROR)
    /* Translators: nothing was recorded at download and the Hub could not
     * be asked (offline, not found); %s is the reason */
    message = g_strdup_printf (_("Could not get the Hub’s checksum: %s"), error->message);
  else if (error != NULL)
    /* Translators: %s is the reason */
    message = g_strdup_printf (_("Could not verify: %s"), error->message);
  else if (from == MM_LIBRARY_VERIFY_SOURCE_HUB)
    {
      switch (verdict)
        {
        case MM_LIBRARY_VERIFY_MATCH:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("Verified %s: it matches the Hub’s checksum"), what);
          break;
        case MM_LIBRARY_VERIFY_MISMATCH:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("%s does not match the Hub’s checksum: the file is "
                                       "damaged, was changed, or the Hub has a newer version"),
                                     what);
          break;
        case MM_LIBRARY_VERIFY_UNKNOWN:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("No checksum recorded for %s, and the Hub lists none"),
                                     what);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  else
    {
      switch (verdict)
        {
        case MM_LIBRARY_VERIFY_MATCH:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("Verified %s: it matches the checksum recorded at "
                                       "download"), what);
          break;
        case MM_LIBRARY_VERIFY_MISMATCH:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("%s does not match its checksum: the file is damaged "
                                       "or was changed"), what);
          break;
        case MM_LIBRARY_VERIFY_UNKNOWN:
          /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
          message = g_strdup_printf (_("No checksum recorded for %s"), what);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  add_toast (self, adw_toast_new (message));
}

static void
row_verify_cb (MmLibraryPage *self,
               MmLibraryRow  *row)
{
  mm_library_row_set_verifying (row, TRUE);
  mm_library_entry_verify_with_hub_async (mm_library_row_get_entry (row), self->client, NULL,
                                          self->cancellable, verify_cb, g_object_ref (self));
}


/* Updates */

#define BACKGROUND_FIRST_S  60
#define BACKGROUND_EVERY_S  (60 * 60)

static MmUpdate *
update_for_entry (MmLibraryPage  *self,
                  MmLibraryEntry *entry)
{
  if (self->checker == NULL)
    return NULL;

  for (guint i = 0; i < mm_library_entry_get_n_files (entry); i++)
    {
      MmUpdate *update = mm_update_checker_find (self->checker,
                                                 mm_library_entry_get_file (entry, i)->path);

      if (update != NULL)
        return update;
    }
  return NULL;
}

static void
updates_changed (MmLibraryPage *self)
{
  GPtrArray *updates = self->checker ? mm_update_checker_get_updates (self->checker) : NULL;
  GDateTime *last = self->checker ? mm_update_checker_get_last_check (self->checker) : NULL;
  gboolean checking = self->checker != NULL && mm_update_checker_get_checking (self->checker);
  g_autofree char *text = NULL;

  if (checking)
    text = g_strdup (_("Checking for updates…"));
  else if (updates != NULL && updates->len > 0)
    /* Translators: above the Library's list */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u update available",
                                         "%u updates available", updates->len), updates->len);
  else if (last != NULL)
    {
      g_autofree char *when = mm_format_relative (last, NULL);

      /* Translators: above the Library's list; %s is "3 hours ago", "just now"… */
      text = g_strdup_printf (_("Up to date, checked %s"), when);
    }
  else
    text = g_strdup (_("Not checked for updates yet"));

  gtk_label_set_label (self->updates_label, text);
  gtk_widget_set_sensitive (self->check_button, self->checker != NULL && !checking);

  for (guint i = 0; self->lists != NULL && i < self->lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (self->lists, i);

      for (GtkWidget *child = gtk_widget_get_first_child (list);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (MM_IS_LIBRARY_ROW (child))
            mm_library_row_set_update (MM_LIBRARY_ROW (child),
                                       update_for_entry (self,
                                                         mm_library_row_get_entry (
                                                           MM_LIBRARY_ROW (child))));
        }
    }
}

static void
report_check (MmLibraryPage *self,
              GObject       *source,
              GAsyncResult  *result,
              gboolean       quiet)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  found = mm_update_checker_check_finish (MM_UPDATE_CHECKER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The background check says only what it found. */
  if (error != NULL && !quiet)
    /* Translators: a toast; %s is the reason */
    message = g_strdup_printf (_("Could not check for updates: %s"), error->message);
  else if (error == NULL && found->len > 0)
    /* Translators: a toast */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u model has an update",
                                            "%u models have an update", found->len),
                               found->len);
  else if (error == NULL && !quiet)
    message = g_strdup (_("Every model is up to date"));
  else if (error != NULL)
    g_debug ("Background update check: %s", error->message);

  if (message != NULL)
    add_toast (self, adw_toast_new (message));
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MmLibraryPage) self = user_data;

  report_check (self, source, result, FALSE);
}

static void
check_quiet_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MmLibraryPage) self = user_data;

  report_check (self, source, result, TRUE);
}

static void
start_check (MmLibraryPage *self,
             gboolean       quiet)
{
  if (self->checker == NULL || mm_update_checker_get_checking (self->checker))
    return;

  mm_update_checker_check_async (self->checker, NULL, self->cancellable,
                                 quiet ? check_quiet_cb : check_done_cb, g_object_ref (self));
}

static void
check_updates_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  start_check (MM_LIBRARY_PAGE (widget), FALSE);
}

static gboolean
background_cb (gpointer user_data)
{
  MmLibraryPage *self = user_data;
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (self->checker != NULL &&
      mm_update_checker_is_due (self->checker, now,
                                g_network_monitor_get_network_metered (monitor)))
    start_check (self, TRUE);

  /* This source ends here; the next one comes in an hour. */
  self->background_id = g_timeout_add_seconds (BACKGROUND_EVERY_S, background_cb, self);
  g_source_set_name_by_id (self->background_id, "[mm] library update check");
  return G_SOURCE_REMOVE;
}

typedef struct {
  MmLibraryPage  *page;
  MmLibraryEntry *entry;
} UpdateJob;

static void
update_job_free (UpdateJob *job)
{
  g_object_unref (job->page);
  g_object_unref (job->entry);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpdateJob, update_job_free)

static void
update_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UpdateJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = describe_files (job->entry);
  g_autofree char *message = NULL;
  MmLibraryRow *row;

  if (!mm_update_checker_update_finish (MM_UPDATE_CHECKER (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  row = find_row_for_entry (job->page, job->entry);
  if (row != NULL)
    mm_library_row_set_verifying (row, FALSE);

  if (error != NULL)
    /* Translators: a toast; the first %s is a file, the second the reason */
    message = g_strdup_printf (_("Could not update %s: %s"), what, error->message);
  else
    /* Translators: a toast; %s is a file such as "Pico-Q8_0.gguf" */
    message = g_strdup_printf (_("%s was updated"), what);
  add_toast (job->page, adw_toast_new (message));
}

static void
row_update_cb (MmLibraryPage *self,
               MmLibraryRow  *row)
{
  MmUpdate *update = mm_library_row_get_update (row);
  UpdateJob *job;

  if (update == NULL || self->checker == NULL)
    return;

  job = g_new0 (UpdateJob, 1);
  job->page = g_object_ref (self);
  job->entry = g_object_ref (mm_library_row_get_entry (row));
  mm_library_row_set_verifying (row, TRUE);
  mm_update_checker_update_async (self->checker, update, self->cancellable, update_done_cb,
                                  job);
}

/* Delete */

/* A delete whose Undo toast is up. It lives as long as the toast, and
 * points at the page weakly: the toast may outlive the page, and must not
 * keep it (and its window) alive. */
typedef struct {
  MmLibraryPage  *page;      /* (nullable) weak */
  MmLibraryTrash *trash;     /* (owned) */
  gboolean        undone;
  gboolean        committed;
} PendingTrash;

static void commit_pending (PendingTrash *pending);

static void
pending_trash_free (PendingTrash *pending)
{
  /* The toast is gone, dismissed or not: nobody can undo any more. */
  commit_pending (pending);

  if (pending->page != NULL && pending->page->pending != NULL)
    g_ptr_array_remove_fast (pending->page->pending, pending);
  g_clear_weak_pointer (&pending->page);
  g_clear_pointer (&pending->trash, mm_library_trash_unref);
  g_free (pending);
}

static void
undo_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(MmLibraryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mm_library_trash_undo_finish ((MmLibraryTrash *) source, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason */
      message = g_strdup_printf (_("Could not restore the model: %s"), error->message);
      add_toast (self, adw_toast_new (message));
    }
}

static void
commit_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GApplication) application = user_data;
  g_autoptr(GError) error = NULL;

  if (!mm_library_trash_commit_finish ((MmLibraryTrash *) source, result, &error))
    g_warning ("Could not move deleted files to the trash: %s", error->message);
  if (application != NULL)
    g_application_release (application);
}

/* The person can no longer undo: the files go to the desktop's trash. Not
 * cancellable: the person has decided, and the files must not stay in the
 * hidden folder. The application is held until then, so that closing the
 * last window does not end the process half-way. */
static void
commit_pending (PendingTrash *pending)
{
  GApplication *application = g_application_get_default ();

  if (pending->undone || pending->committed)
    return;

  pending->committed = TRUE;
  if (application != NULL)
    g_application_hold (application);
  mm_library_trash_commit_async (pending->trash, NULL, commit_cb,
                                 application != NULL ? g_object_ref (application) : NULL);
}

static void
toast_undo_cb (AdwToast     *toast,
               PendingTrash *pending)
{
  if (pending->undone || pending->committed || !mm_library_trash_get_can_undo (pending->trash))
    return;

  pending->undone = TRUE;
  mm_library_trash_undo_async (pending->trash, NULL, undo_cb,
                               pending->page != NULL ? g_object_ref (pending->page) : NULL);
}

static void
toast_dismissed_cb (AdwToast     *toast,
                    PendingTrash *pending)
{
  commit_pending (pending);
}

static void
trash_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MmLibraryPage) self = user_data;
  MmLibraryEntry *entry = MM_LIBRARY_ENTRY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *what = NULL;
  MmLibraryTrash *trash;
  PendingTrash *pending;
  AdwToast *toast;

  trash = mm_library_entry_trash_finish (entry, result, &error);
  if (trash == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the reason */
          title = g_strdup_printf (_("Could not delete the model: %s"), error->message);
          add_toast (self, adw_toast_new (title));
        }
      return;
    }

  pending = g_new0 (PendingTrash, 1);
  g_set_weak_pointer (&pending->page, self);
  pending->trash = trash;
  g_ptr_array_add (self->pending, pending);

  what = describe_files (entry);
  /* Translators: a toast with Undo; %s is a file such as "Pico-Q8_0.gguf",
   * or a split model such as "Giant-70B-GGUF Q4_K_M (3 files)" */
  title = g_strdup_printf (_("Deleted %s"), what);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (toast_undo_cb), pending);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), pending,
                         (GClosureNotify) (void (*) (void)) pending_trash_free, 0);
  add_toast (self, toast);
}

static void
delete_entry (MmLibraryPage  *self,
              MmLibraryEntry *entry)
{
  mm_library_entry_trash_async (entry, self->cancellable, trash_cb, g_object_ref (self));
}

/* No question first: the files go aside, the toast names exactly which,
 * and Undo brings them back; only when the toast goes do they go to the
 * desktop's trash. A dialog asked about the repo while only one of its
 * quantizations went. */
static void
row_delete_cb (MmLibraryPage *self,
               MmLibraryRow  *row)
{
  delete_entry (self, mm_library_row_get_entry (row));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  MmLibraryPage *self = user_data;
  GtkWidget *row = mm_library_row_new (item, self->machine);

  mm_library_row_set_grouped (MM_LIBRARY_ROW (row), TRUE);
  mm_library_row_set_comparison (MM_LIBRARY_ROW (row),
                                 mm_compare_bar_get_comparison (self->compare_bar));

  g_signal_connect_object (row, "verify", G_CALLBACK (row_verify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "delete", G_CALLBACK (row_delete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "update", G_CALLBACK (row_update_cb), self, G_CONNECT_SWAPPED);
  mm_library_row_set_update (MM_LIBRARY_ROW (row), update_for_entry (self, item));
  return row;
}

/* Repo headings: the library is sorted by repo, so the quantizations of a
 * repo are neighbours in a folder's list; the first of them carries a
 * heading with the repo's name and owner. */

static const char *
group_key (MmLibraryRow *row)
{
  return entry_group_key (mm_library_row_get_entry (row));
}

static void
repo_header_cb (GtkListBoxRow *row,
                GtkListBoxRow *before,
                gpointer       user_data)
{
  GtkWidget *header = gtk_list_box_row_get_header (row);
  MmLibraryEntry *entry;
  const char *key;

  if (!MM_IS_LIBRARY_ROW (row))
    return;

  key = group_key (MM_LIBRARY_ROW (row));
  if (before != NULL && MM_IS_LIBRARY_ROW (before) &&
      g_strcmp0 (group_key (MM_LIBRARY_ROW (before)), key) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  if (header != NULL && g_strcmp0 (mm_repo_heading_get_key (MM_REPO_HEADING (header)), key) == 0)
    return;

  entry = mm_library_row_get_entry (MM_LIBRARY_ROW (row));
  gtk_list_box_row_set_header (row, mm_repo_heading_new (mm_library_entry_get_repo_id (entry),
                                                         mm_library_entry_get_name (entry)));
}

/**
 * mm_library_page_get_repo_headings:
 *
 * For tests: the repo headings shown, in order, as "key" strings (the repo
 * id, or the entry's name without one).
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
GStrv
mm_library_page_get_repo_headings (MmLibraryPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);

  for (guint i = 0; i < self->lists->len; i++)
    {
      GtkListBox *list = g_ptr_array_index (self->lists, i);

      for (int j = 0;; j++)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, j);
          GtkWidget *header;

          if (row == NULL)
            break;
          header = gtk_list_box_row_get_header (row);
          if (header != NULL)
            g_strv_builder_add (builder, mm_repo_heading_get_key (MM_REPO_HEADING (header)));
        }
    }

  return g_strv_builder_end (builder);
}

/* Sections, one a library folder */

static gboolean
entry_in_folder (gpointer item,
                 gpointer user_data)
{
  return g_strcmp0 (mm_library_entry_get_root (item), user_data) == 0;
}

/* Whether the library lists models of the Hugging Face cache. */
static gboolean
has_cache_entries (MmLibrary *library)
{
  const char *cache = mm_library_get_hf_cache_folder (library);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (library));

  for (guint i = 0; cache != NULL && i < n; i++)
    {
      g_autoptr(MmLibraryEntry) entry = g_list_model_get_item (G_LIST_MODEL (library), i);

      if (mm_library_entry_get_in_hf_cache (entry))
        return TRUE;
    }
  return FALSE;
}

static char *
folder_title (MmLibraryPage *self,
              const char    *folder)
{
  g_autofree char *lm_studio = mm_settings_find_lm_studio_folder ();
  g_autofree char *canonical = lm_studio ? g_canonicalize_filename (lm_studio, NULL) : NULL;

  if (canonical != NULL && g_str_equal (canonical, folder))
    /* Translators: the title of LM Studio's models folder in the list of folders */
    return g_strdup (_("LM Studio"));
  if (g_strcmp0 (mm_library_get_hf_cache_folder (self->library), folder) == 0)
    /* Translators: the title of the Hugging Face cache in the Library's list of folders */
    return g_strdup (_("Hugging Face Cache"));
  return g_filename_display_basename (folder);
}

static MmLibrarySection *
list_section (GtkWidget *list)
{
  return MM_LIBRARY_SECTION (gtk_widget_get_ancestor (list, MM_TYPE_LIBRARY_SECTION));
}

/* What an empty section says: the folder is empty, or was not found. */
static void
update_placeholders (MmLibraryPage *self)
{
  const char * const *missing = self->library ? mm_library_get_missing_folders (self->library)
                                              : NULL;

  for (guint i = 0; i < self->lists->len; i++)
    {
      MmLibrarySection *section = list_section (g_ptr_array_index (self->lists, i));
      const char *folder = mm_library_section_get_folder (section);

      mm_library_section_set_missing (section, missing != NULL && g_strv_contains (missing, folder));
    }
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data);

static GtkWidget *
create_section (MmLibraryPage *self,
                const char    *folder,
                gboolean       with_heading)
{
  g_autofree char *title = with_heading ? folder_title (self, folder) : NULL;
  GtkWidget *section = mm_library_section_new (folder, title);
  GtkListBox *list = mm_library_section_get_list (MM_LIBRARY_SECTION (section));
  g_autoptr(GtkFilterListModel) model = NULL;
  GtkCustomFilter *filter;

  gtk_list_box_set_header_func (list, repo_header_cb, NULL, NULL);
  filter = gtk_custom_filter_new (entry_in_folder, g_strdup (folder), g_free);
  model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->library)),
                                     GTK_FILTER (filter));
  gtk_list_box_bind_model (list, G_LIST_MODEL (model), create_row_cb, self, NULL);
  g_ptr_array_add (self->lists, list);

  return section;
}

static void
rebuild_sections (MmLibraryPage *self)
{
  const char * const *folders;
  GtkWidget *child;
  guint n_folders;

  for (guint i = 0; i < self->lists->len; i++)
    gtk_list_box_bind_model (g_ptr_array_index (self->lists, i), NULL, NULL, NULL, NULL);
  g_ptr_array_set_size (self->lists, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections))) != NULL)
    gtk_box_remove (self->sections, child);

  if (self->library == NULL)
    return;

  folders = mm_library_get_folders (self->library);
  n_folders = g_strv_length ((char **) folders);
  self->showing_cache = has_cache_entries (self->library);
  for (guint i = 0; i < n_folders; i++)
    gtk_box_append (self->sections,
                    create_section (self, folders[i], n_folders + self->showing_cache > 1));
  if (self->showing_cache)
    gtk_box_append (self->sections,
                    create_section (self, mm_library_get_hf_cache_folder (self->library), TRUE));

  update_placeholders (self);
}

static void
rebuild_cb (gpointer user_data)
{
  MmLibraryPage *self = user_data;

  self->rebuild_id = 0;
  rebuild_sections (self);
}

/* The cache's section comes and goes with its models; rebuilt from an idle,
 * not from inside the list's own change. */
static void
library_items_changed_cb (MmLibraryPage *self)
{
  if (self->library != NULL && self->rebuild_id == 0 &&
      has_cache_entries (self->library) != self->showing_cache)
    self->rebuild_id = g_idle_add_once (rebuild_cb, self);
}

static void
mm_library_page_dispose (GObject *object)
{
  MmLibraryPage *self = MM_LIBRARY_PAGE (object);

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->background_id, g_source_remove);
  if (self->checker != NULL)
    g_signal_handlers_disconnect_by_data (self->checker, self);
  g_clear_object (&self->checker);
  if (self->library != NULL)
    mm_library_page_set_library (self, NULL);

  /* Toasts still showing can no longer be acted on. */
  for (guint i = 0; self->pending != NULL && i < self->pending->len; i++)
    commit_pending (g_ptr_array_index (self->pending, i));

  gtk_widget_dispose_template (GTK_WIDGET (self), MM_TYPE_LIBRARY_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->machine);
  g_clear_pointer (&self->lists, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_library_page_parent_class)->dispose (object);
}

static void
mm_library_page_finalize (GObject *object)
{
  MmLibraryPage *self = MM_LIBRARY_PAGE (object);

  /* Deletes whose toast outlives the page were committed in dispose. */
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (mm_library_page_parent_class)->finalize (object);
}

static void
mm_library_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MmLibraryPage *self = MM_LIBRARY_PAGE (object);

  switch ((MmLibraryPageProperty) prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MmLibraryPage *self = MM_LIBRARY_PAGE (object);

  switch ((MmLibraryPageProperty) prop_id)
    {
    case PROP_LIBRARY:
      mm_library_page_set_library (self, g_value_get_object (value));
      break;
    case PROP_CLIENT:
      mm_library_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_0:
    case N_PROPS:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mm_library_page_class_init (MmLibraryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mm_library_page_dispose;
  object_class->finalize = mm_library_page_finalize;
  object_class->get_property = mm_library_page_get_property;
  object_class->set_property = mm_library_page_set_property;

  /** MmLibraryPage:library: (nullable): the models on disk shown */
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, MM_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /** MmLibraryPage:client: (nullable): the Hub to ask for checksums nothing recorded */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, MM_TYPE_HUB_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MmLibraryPage::add-toast:
   * @toast: (transfer none): a message for the window's toast overlay
   */
  signals[SIGNAL_ADD_TOAST] =
    g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (MM_TYPE_COMPARE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/mm-library-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, sections);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, updates_label);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, main_box);
  gtk_widget_class_bind_template_child (widget_class, MmLibraryPage, total_label);

  gtk_widget_class_install_action (widget_class, "library.check-updates", NULL,
                                   check_updates_action_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
mm_library_page_init (MmLibraryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->lists = g_ptr_array_new ();
  self->pending = g_ptr_array_new ();
  /* The RAM alone until the window hands over the application's machine. */
  self->machine = mm_machine_new (NULL);
  update_state (self);
  updates_changed (self);
}

GtkWidget *
mm_library_page_new (void)
{
  return g_object_new (MM_TYPE_LIBRARY_PAGE, NULL);
}

/**
 * mm_library_page_get_library:
 *
 * Returns: (transfer none) (nullable): the models on disk shown
 */
MmLibrary *
mm_library_page_get_library (MmLibraryPage *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);
  return self->library;
}

void
mm_library_page_set_library (MmLibraryPage *self,
                             MmLibrary     *library)
{
  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));
  g_return_if_fail (!library || MM_IS_LIBRARY (library));

  if (self->library == library)
    return;

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_set_object (&self->library, library);
  if (self->library != NULL)
    {
      g_signal_connect_object (self->library, "items-changed", G_CALLBACK (update_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "notify::loading", G_CALLBACK (update_state),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "notify::total-size", G_CALLBACK (update_state),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "notify::folders", G_CALLBACK (rebuild_sections),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "notify::hf-cache-folder",
                               G_CALLBACK (rebuild_sections), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "items-changed",
                               G_CALLBACK (library_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->library, "notify::missing-folders",
                               G_CALLBACK (update_placeholders), self, G_CONNECT_SWAPPED);
    }

  rebuild_sections (self);
  update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIBRARY]);
}

/**
 * mm_library_page_set_client:
 * @client: (nullable): the Hub client, replaced when the endpoint or the
 *   token changes
 *
 * Sets the Hub that Verify asks for the checksums of files that have no
 * record from their download. A verify already running keeps its client.
 */
void
mm_library_page_set_client (MmLibraryPage *self,
                            MmHubClient   *client)
{
  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));
  g_return_if_fail (!client || MM_IS_HUB_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  if (self->checker != NULL && client != NULL)
    {
      mm_update_checker_set_client (self->checker, client);
    }
  else if (client != NULL)
    {
      self->checker = mm_update_checker_new (client, NULL);
      g_signal_connect_object (self->checker, "changed", G_CALLBACK (updates_changed), self,
                               G_CONNECT_SWAPPED);
      self->background_id = g_timeout_add_seconds (BACKGROUND_FIRST_S, background_cb, self);
      g_source_set_name_by_id (self->background_id, "[mm] library update check");
      updates_changed (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * mm_library_page_set_machine:
 * @machine: this computer, for the rows' fit badges
 *
 * The rows are made again with @machine, which they follow from then on.
 */
void
mm_library_page_set_machine (MmLibraryPage *self,
                             MmMachine     *machine)
{
  g_autoptr(MmLibrary) library = NULL;

  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));
  g_return_if_fail (MM_IS_MACHINE (machine));

  if (self->machine == machine)
    return;

  library = self->library ? g_object_ref (self->library) : NULL;
  if (library != NULL)
    mm_library_page_set_library (self, NULL);
  g_set_object (&self->machine, machine);
  mm_compare_bar_set_machine (self->compare_bar, machine);
  if (library != NULL)
    mm_library_page_set_library (self, library);
}

/**
 * mm_library_page_set_comparison:
 * @comparison: the choices picked to compare, the application's
 *
 * The rows are made again, with Compare for the new comparison.
 */
void
mm_library_page_set_comparison (MmLibraryPage *self,
                                MmComparison  *comparison)
{
  g_autoptr(MmLibrary) library = NULL;

  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));
  g_return_if_fail (MM_IS_COMPARISON (comparison));

  if (mm_compare_bar_get_comparison (self->compare_bar) == comparison)
    return;

  library = self->library ? g_object_ref (self->library) : NULL;
  if (library != NULL)
    mm_library_page_set_library (self, NULL);
  mm_compare_bar_set_comparison (self->compare_bar, comparison);
  if (library != NULL)
    mm_library_page_set_library (self, library);
}

/**
 * mm_library_page_get_compare_bar:
 *
 * Returns: (transfer none): the bar of the picked choices, for tests
 */
MmCompareBar *
mm_library_page_get_compare_bar (MmLibraryPage *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);
  return self->compare_bar;
}

/**
 * mm_library_page_get_state:
 *
 * Returns: "empty", "loading" or "list"
 */
const char *
mm_library_page_get_state (MmLibraryPage *self)
{
  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * mm_library_page_focus_start:
 *
 * Puts the keyboard focus where Alt+3 lands: the first model's row itself,
 * not one of its buttons, so that Space right after it does nothing; on
 * the empty page the Discover Models button. The same place however often
 * it is called.
 */
void
mm_library_page_focus_start (MmLibraryPage *self)
{
  GtkRoot *root;

  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    {
      for (guint i = 0; i < self->lists->len; i++)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (g_ptr_array_index (self->lists, i), 0);

          if (row != NULL && gtk_widget_grab_focus (GTK_WIDGET (row)))
            return;
        }
    }

  /* Start afresh from the page's top, not from wherever the focus is. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_focus (GTK_WINDOW (root), NULL);
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

/**
 * mm_library_page_find_row:
 * @name: a repo id or folder name
 *
 * Returns: (transfer none) (nullable): the first row showing @name
 */
MmLibraryRow *
mm_library_page_find_row (MmLibraryPage *self,
                          const char    *name)
{
  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);

  for (guint i = 0; i < self->lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (self->lists, i);

      for (GtkWidget *child = gtk_widget_get_first_child (list);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          MmLibraryEntry *entry;

          if (!MM_IS_LIBRARY_ROW (child))
            continue;
          entry = mm_library_row_get_entry (MM_LIBRARY_ROW (child));
          if (g_strcmp0 (mm_library_entry_get_name (entry), name) == 0)
            return MM_LIBRARY_ROW (child);
        }
    }

  return NULL;
}

/**
 * mm_library_page_delete_now:
 *
 * Deletes @row's model, as its menu's Delete does.
 */
void
mm_library_page_delete_now (MmLibraryPage *self,
                            MmLibraryRow  *row)
{
  g_return_if_fail (MM_IS_LIBRARY_PAGE (self));
  g_return_if_fail (MM_IS_LIBRARY_ROW (row));

  delete_entry (self, mm_library_row_get_entry (row));
}

/**
 * mm_library_page_get_row_folder:
 *
 * For tests: the library folder of the section that shows @row.
 *
 * Returns: (nullable): the folder, or %NULL when @row is not on the page
 */
const char *
mm_library_page_get_row_folder (MmLibraryPage *self,
                                MmLibraryRow  *row)
{
  GtkWidget *list;

  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);
  g_return_val_if_fail (MM_IS_LIBRARY_ROW (row), NULL);

  list = gtk_widget_get_parent (GTK_WIDGET (row));
  if (list == NULL || !g_ptr_array_find (self->lists, list, NULL))
    return NULL;
  return mm_library_section_get_folder (list_section (list));
}

/**
 * mm_library_page_get_section_note:
 * @folder: a library folder
 *
 * For tests: what the section of @folder says when it lists nothing, and
 * whether it has a heading.
 *
 * Returns: (nullable): the note, or %NULL when there is no such section
 */
const char *
mm_library_page_get_section_note (MmLibraryPage *self,
                                  const char    *folder,
                                  gboolean      *has_heading)
{
  g_return_val_if_fail (MM_IS_LIBRARY_PAGE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  for (guint i = 0; i < self->lists->len; i++)
    {
      MmLibrarySection *section = list_section (g_ptr_array_index (self->lists, i));

      if (g_strcmp0 (mm_library_section_get_folder (section), folder) == 0)
        return mm_library_section_get_note (section, has_heading);
    }

  return NULL;
}
