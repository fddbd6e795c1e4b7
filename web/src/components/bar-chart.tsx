/**
 * A stacked bar chart in plain SVG: one bar per day, one colour per product, with a legend and
 * a table of the same figures for screen readers and exact values (amounts on hover too).
 */
import { formatMicroUsd } from '../format.ts';
import { Money } from './ui.tsx';

export type ChartRow = { day: string; product: string; charged_amount_micro_usd: number };

const COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d'];
const HEIGHT = 200;
const BAR_WIDTH = 24;
const GAP = 8;

export function BarChart({ rows, label }: { rows: ChartRow[]; label: string }) {
  const days = [...new Set(rows.map((row) => row.day))].sort();
  const products = [...new Set(rows.map((row) => row.product))].sort();
  const totals = days.map((day) =>
    rows
      .filter((row) => row.day === day)
      .reduce((sum, row) => sum + row.charged_amount_micro_usd, 0),
  );
  const max = Math.max(1, ...totals);
  const width = Math.max(days.length * (BAR_WIDTH + GAP), 200);
  return (
    <figure className="chart">
      <div className="chart-scroll">
        <svg
          width={width}
          height={HEIGHT + 20}
          role="img"
          aria-label={`${label}: ${days.length} days, ${products.length} products`}
        >
          {days.map((day, index) => {
            let y = HEIGHT;
            return (
              <g key={day}>
                {products.map((product, p) => {
                  const row = rows.find((r) => r.day === day && r.product === product);
                  if (row === undefined) return null;
                  const h = (row.charged_amount_micro_usd / max) * HEIGHT;
                  y -= h;
                  return (
                    <rect
                      key={product}
                      x={index * (BAR_WIDTH + GAP)}
                      y={y}
                      width={BAR_WIDTH}
                      height={Math.max(h, 1)}
                      fill={COLORS[p % COLORS.length]}
                    >
                      <title>{`${day} ${product}: ${formatMicroUsd(row.charged_amount_micro_usd)}`}</title>
                    </rect>
                  );
                })}
                <text x={index * (BAR_WIDTH + GAP)} y={HEIGHT + 14} fontSize="9">
                  {day.slice(5)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption>
        <ul className="legend">
          {products.map((product, p) => (
            <li key={product}>
              <span className="swatch" style={{ background: COLORS[p % COLORS.length] }} />
              {product}
            </li>
          ))}
        </ul>
      </figcaption>
      <table>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Product</th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.day} ${row.product}`}>
              <td>{row.day}</td>
              <td>{row.product}</td>
              <td className="num">
                <Money micro={row.charged_amount_micro_usd} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
