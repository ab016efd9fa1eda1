import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { DashboardDto } from '../../../../shared/dto'
import { currentLocale, formatWeekOf, startOfLocalWeek } from '../../format/time'
import styles from './Dashboard.module.css'

const W = 480
const H = 140
const PAD_BOTTOM = 20
const PAD_TOP = 16

const HALF_WEEK = 3.5 * 24 * 60 * 60_000

/**
 * The local week (Monday 00:00 on this computer) a bucket stands for. Main counts uses per week starting
 * Monday 00:00 UTC; each such week is named by the local week holding its middle, which for any time
 * zone is the local week it overlaps most: every bar has its own local Monday, and a use only moves to
 * the next or previous bar if it falls within the zone's offset from UTC of a week's edge.
 */
export const localWeekOf = (utcWeekStart: number): number => startOfLocalWeek(utcWeekStart + HALF_WEEK)

const weekOf = (utcWeekStart: number): string => formatWeekOf(localWeekOf(utcWeekStart))

/** Backup codes used per week as bars: each bar carries its own label, and the chart a summary. */
export function BackupCodeChart({ weeks }: { weeks: DashboardDto['backupCodesUsedPerWeek'] }) {
  const { t } = useTranslation('dashboard')
  const titleId = useId()
  const descId = useId()
  const max = Math.max(1, ...weeks.map((w) => w.count))
  const total = weeks.reduce((n, w) => n + w.count, 0)
  const slot = W / weeks.length
  const barWidth = slot * 0.6
  const plot = H - PAD_BOTTOM - PAD_TOP
  return (
    <svg
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      viewBox={`0 0 ${W} ${H}`}
      className={styles.chart}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{t('chart.title', { count: weeks.length })}</title>
      <desc id={descId}>
        {t('chart.total', { count: total })}{' '}
        {weeks.map((w) => t('chart.week', { week: weekOf(w.weekStart), count: w.count })).join('; ')}.
      </desc>
      <line x1={0} x2={W} y1={H - PAD_BOTTOM} y2={H - PAD_BOTTOM} className={styles.axis} />
      {weeks.map((w, i) => {
        const h = (w.count / max) * plot
        const x = i * slot + (slot - barWidth) / 2
        const y = H - PAD_BOTTOM - h
        return (
          <g
            key={w.weekStart}
            aria-label={t('chart.weekUsed', { week: weekOf(w.weekStart), count: w.count })}
          >
            <title>{t('chart.weekUsed', { week: weekOf(w.weekStart), count: w.count })}</title>
            <rect x={x} y={y} width={barWidth} height={Math.max(h, 0)} rx={2} className={styles.bar} />
            {w.count > 0 && (
              <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className={styles.barValue}>
                {w.count.toLocaleString(currentLocale())}
              </text>
            )}
            {i % 2 === 0 && (
              <text x={x + barWidth / 2} y={H - 5} textAnchor="middle" className={styles.barLabel}>
                {weekOf(w.weekStart)}
              </text>
            )}
          </g>
        )
      })}
    </svg>
  )
}
