using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using BackOffice.Application.Occupancy;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// The HTML of a box's compartment grid, one string per row of the box plus the header row, built once per snapshot
/// and shared by every open dashboard of the box: 50 dashboards hold 50 references, not 50 render trees of 620 cells.
/// A new snapshot rebuilds only the rows whose cells changed; the others are the same strings, which the renderer
/// compares by reference and leaves alone.
/// </summary>
/// <remarks>
/// What differs between dashboards (selection, the filters' dimming, which cell Tab reaches) is not in here: the grid
/// sets it in the page from its own data attributes (js/compartment-grid.js).
/// </remarks>
public sealed class CompartmentGridMarkup
{
    private static readonly ConditionalWeakTable<BoxSnapshot, CompartmentGridMarkup> BySnapshot = [];

    // The last markup built per box: the next snapshot reuses its unchanged rows.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, WeakReference<CompartmentGridMarkup>> LastByBox = [];

    // Each cell's markup, built once for every page (a live change sends just the changed cells, see CompartmentGrid).
    private static readonly ConditionalWeakTable<CompartmentCell, CellHtml> ByCell = [];

    private static readonly string[] StateNames = Enum.GetNames<CellState>();
    private static readonly string[] StateClasses = Enum.GetNames<CellState>().Select(n => "cell cell-" + n.ToLowerInvariant()).ToArray();

    private readonly CompartmentCell?[][] _rowCells;

    private CompartmentGridMarkup(string culture, int modules, string header, string[] rows, CompartmentCell?[][] rowCells)
    {
        Culture = culture;
        Modules = modules;
        Header = header;
        Rows = rows;
        _rowCells = rowCells;
    }

    /// <summary>The UI culture the texts were written in.</summary>
    public string Culture { get; }

    public int Modules { get; }

    /// <summary>The header row: the corner and the modules' numbers.</summary>
    public string Header { get; }

    /// <summary>Each row of the box (a row header and its cells), top to bottom.</summary>
    public IReadOnlyList<string> Rows { get; }

    /// <summary>The markup of this snapshot in the current UI culture: shared when already built, else built now.</summary>
    public static CompartmentGridMarkup For(BoxSnapshot snapshot, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(localizer);
        var culture = CultureInfo.CurrentUICulture.Name;
        var shared = BySnapshot.GetValue(snapshot, s =>
        {
            var previous = LastByBox.TryGetValue(s.Box.BoxId, out var last) && last.TryGetTarget(out var target) && target.Culture == culture
                ? target : null;
            var built = Build(s, localizer, culture, previous);
            LastByBox[s.Box.BoxId] = new WeakReference<CompartmentGridMarkup>(built);
            return built;
        });
        // The shared markup is in the language of the first page that asked; another language is built for its page alone.
        return shared.Culture == culture ? shared : Build(snapshot, localizer, culture, previous: null);
    }

    /// <summary>One cell's markup in the current UI culture, the same as in its row: shared when already built.</summary>
    public static string Cell(CompartmentCell cell, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(localizer);
        var culture = CultureInfo.CurrentUICulture.Name;
        return ByCell.TryGetValue(cell, out var known) && known.Culture == culture
            ? known.Html
            : CellOf(cell, new Texts(localizer), culture);
    }

    private static CompartmentGridMarkup Build(BoxSnapshot snapshot, IStringLocalizer localizer, string culture, CompartmentGridMarkup? previous)
    {
        var cells = snapshot.Cells;
        var (modules, rowCount) = (0, 0);
        foreach (var cell in cells)
        {
            (modules, rowCount) = (Math.Max(modules, cell.Module), Math.Max(rowCount, cell.Row));
        }
        var rowCells = new CompartmentCell?[rowCount][];
        for (var r = 0; r < rowCount; r++)
        {
            rowCells[r] = new CompartmentCell?[modules];
        }
        foreach (var cell in cells)
        {
            rowCells[cell.Row - 1][cell.Module - 1] = cell;
        }

        var texts = new Texts(localizer);
        var sameShape = previous is not null && previous.Modules == modules && previous.Rows.Count == rowCount;
        var header = sameShape ? previous!.Header : BuildHeader(modules, texts);
        var rows = new string[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            rows[r] = sameShape && SameCells(previous!._rowCells[r], rowCells[r]) ? previous!.Rows[r] : BuildRow(r + 1, rowCells[r], texts, culture);
        }
        return new CompartmentGridMarkup(culture, modules, header, rows, rowCells);
    }

    private static bool SameCells(CompartmentCell?[] a, CompartmentCell?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static string BuildHeader(int modules, Texts texts)
    {
        var html = new StringBuilder(64 * (modules + 1));
        html.Append("<div role=\"row\" class=\"grid-row grid-header-row\"><div role=\"columnheader\" class=\"grid-head grid-corner\" style=\"grid-column: 1\">")
            .Append("<span class=\"app-sr-only\">").Append(Encode(texts.Corner)).Append("</span></div>");
        for (var m = 1; m <= modules; m++)
        {
            var number = m.ToString("00", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<div role=\"columnheader\" class=\"grid-head\" style=\"grid-column: {m + 1}\" aria-label=\"{Encode(texts.Module)} {number}\">{number}</div>");
        }
        return html.Append("</div>").ToString();
    }

    private static string BuildRow(int row, CompartmentCell?[] cells, Texts texts, string culture)
    {
        var number = row.ToString("00", CultureInfo.InvariantCulture);
        var html = new StringBuilder(360 * cells.Length);
        html.Append(CultureInfo.InvariantCulture,
            $"<div role=\"row\" class=\"grid-row\"><div role=\"rowheader\" class=\"grid-head\" style=\"grid-column: 1\" aria-label=\"{Encode(texts.Row)} {number}\">{number}</div>");
        foreach (var cell in cells)
        {
            if (cell is not null) // Modules of different heights: no compartment here.
            {
                html.Append(ByCell.TryGetValue(cell, out var known) && known.Culture == culture ? known.Html : CellOf(cell, texts, culture));
            }
        }
        return html.Append("</div>").ToString();
    }

    private static string CellOf(CompartmentCell cell, Texts texts, string culture)
    {
        var state = (int)cell.State;
        var tooltip = Encode(Tooltip(cell, texts));
        // The tooltip once, as the accessible name; the browser shows it as the title when pointed at (the script),
        // and sets tabindex and aria-selected, which are each page's own.
        var html = string.Create(CultureInfo.InvariantCulture,
            $"<div role=\"gridcell\" class=\"{StateClasses[state]}\" style=\"grid-column: {cell.Module + 1}\" " +
            $"aria-label=\"{tooltip}\" data-label=\"{Encode(cell.Label)}\" data-state=\"{StateNames[state]}\" data-size=\"{cell.Size}\" " +
            $"data-module=\"{cell.Module}\" data-row=\"{cell.Row}\">{Encode(texts.Letters[state])}</div>");
        ByCell.AddOrUpdate(cell, new CellHtml(culture, html));
        return html;
    }

    private static string Tooltip(CompartmentCell cell, Texts texts) =>
        $"{texts.Compartment} {cell.Label} ({cell.Size}{(cell.Accessible ? ", " + texts.Accessible : "")}): {texts.States[(int)cell.State]}"
        + (cell.Deadline is { } deadline ? $", {texts.Deadline} {deadline.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}" : "")
        + (cell.Reason is { } reason ? $" – {reason}" : "");

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private sealed record CellHtml(string Culture, string Html);

    /// <summary>The texts of one build, looked up once rather than per cell.</summary>
    private sealed class Texts(IStringLocalizer localizer)
    {
        public string Corner { get; } = localizer["Occupancy.GridCorner"];

        public string Module { get; } = localizer["Compartment.Module"];

        public string Row { get; } = localizer["Compartment.Row"];

        public string Compartment { get; } = localizer["Compartment.Label"];

        public string Accessible { get; } = localizer["Occupancy.Accessible"];

        public string Deadline { get; } = localizer["Documents.Deadline"];

        public string[] States { get; } = StateNames.Select(n => localizer[$"CellState.{n}"].Value).ToArray();

        public string[] Letters { get; } = StateNames.Select(n => localizer[$"CellLetter.{n}"].Value).ToArray();
    }
}
