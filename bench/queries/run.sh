#!/usr/bin/env bash
# The statements behind the province pages of the yearly movement, timed inside the database
# (no server, no HTTP): province coverage of the open province-wide commitment campaign (the
# per-organisation rollup) and of a closed one (its snapshot), the models summary and
# "not meeting it" page, and the notice board of an office reader and of the province.
# Run it on a database filled by `antoan demo --scale`; it prints each statement's best of
# five runs in milliseconds.
#
#   bash bench/queries/run.sh sqlite /path/to/antoan.db
#   bash bench/queries/run.sh postgres postgres://postgres@127.0.0.1:5432/antoan_bench
#
# Needs sqlite3 or psql.
set -euo pipefail
kind=$1
db=$2
open_c="(SELECT MAX(id) FROM commitment_campaigns WHERE owner_path = '/1/' AND status = 'open')"
closed_c="(SELECT MAX(id) FROM commitment_campaigns WHERE owner_path = '/1/' AND status = 'closed')"
year=$(date +%Y)
prev=$((year - 1))
win="'$prev-11-16' AND '$year-11-15'"
declare -A Q
Q[coverage_open]="SELECT o.id, o.name, s.working, d.done FROM units o LEFT JOIN org_people_stats s ON s.org_id = o.id LEFT JOIN campaign_org_done d ON d.org_id = o.id AND d.campaign_id = $open_c WHERE o.kind = 'organisation' AND o.path >= '/1/' AND o.path < '/10' ORDER BY o.name_folded, o.id"
Q[coverage_closed]="SELECT o.id, o.name, SUM(s.required), SUM(s.done) FROM units o LEFT JOIN campaign_snapshots s ON s.org_id = o.id AND s.campaign_kind = 'commitment' AND s.campaign_id = $closed_c WHERE o.kind = 'organisation' AND o.path >= '/1/' AND o.path < '/10' GROUP BY o.id, o.name, o.name_folded ORDER BY o.name_folded, o.id"
Q[models_summary_grouped]="SELECT COUNT(*) FROM (SELECT m.org_id, SUM(CASE WHEN (r.rating_rank >= 2 OR (r.id IS NULL AND COALESCE(a.n, 0) >= 1)) THEN 1 ELSE 0 END) AS working FROM movement_models m LEFT JOIN movement_reviews r ON r.model_id = m.id AND r.year = $year LEFT JOIN (SELECT a.model_id, COUNT(*) AS n FROM movement_activities a WHERE a.on_day BETWEEN $win GROUP BY a.model_id) a ON a.model_id = m.id WHERE m.since <= '$year-11-15' AND (m.ended_on IS NULL OR m.ended_on >= '$prev-11-16') AND m.unit_path >= '/1/' AND m.unit_path < '/10' GROUP BY m.org_id) f WHERE f.working >= 1"
Q[models_summary_correlated]="SELECT COUNT(*) FROM units u WHERE u.kind = 'organisation' AND u.path >= '/1/' AND u.path < '/10' AND (SELECT COUNT(*) FROM movement_models m LEFT JOIN movement_reviews r ON r.model_id = m.id AND r.year = $year WHERE m.org_id = u.id AND m.since <= '$year-11-15' AND (m.ended_on IS NULL OR m.ended_on >= '$prev-11-16') AND (r.rating_rank >= 2 OR (r.id IS NULL AND (SELECT COUNT(*) FROM movement_activities a WHERE a.model_id = m.id AND a.on_day BETWEEN $win) >= 1))) >= 1"
Q[board_office_or]="SELECT n.id FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE (n.audience_path IN ('/1/', '/1/2/') OR (n.audience_path > '/1/2/' AND n.audience_path < '/1/20')) AND n.publish_at <= 9999999999999 ORDER BY n.publish_at DESC, n.id DESC LIMIT 5"
Q[board_office_branches]="SELECT * FROM (SELECT * FROM (SELECT n.id, n.publish_at FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE n.publish_at <= 9999999999999 AND n.audience_path = '/1/' ORDER BY n.publish_at DESC, n.id DESC LIMIT 5) b1 UNION ALL SELECT * FROM (SELECT n.id, n.publish_at FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE n.publish_at <= 9999999999999 AND n.audience_path = '/1/2/' ORDER BY n.publish_at DESC, n.id DESC LIMIT 5) b2 UNION ALL SELECT * FROM (SELECT n.id, n.publish_at FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE n.publish_at <= 9999999999999 AND n.audience_path > '/1/2/' AND n.audience_path < '/1/20' ORDER BY n.publish_at DESC, n.id DESC LIMIT 5) b3) x ORDER BY publish_at DESC, id DESC LIMIT 10"
Q[board_province_or]="SELECT n.id FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE (n.audience_path IN ('/1/') OR (n.audience_path > '/1/' AND n.audience_path < '/10')) AND n.publish_at <= 9999999999999 ORDER BY n.publish_at DESC, n.id DESC LIMIT 5"
Q[board_province_branches]="SELECT * FROM (SELECT * FROM (SELECT n.id, n.publish_at FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE n.publish_at <= 9999999999999 AND n.audience_path = '/1/' ORDER BY n.publish_at DESC, n.id DESC LIMIT 5) b1 UNION ALL SELECT * FROM (SELECT n.id, n.publish_at FROM news_articles n JOIN units au ON au.id = n.audience_unit_id WHERE n.publish_at <= 9999999999999 AND n.audience_path > '/1/' AND n.audience_path < '/10' ORDER BY n.publish_at DESC, n.id DESC LIMIT 5) b2) x ORDER BY publish_at DESC, id DESC LIMIT 10"

time_one() { # sql -> ms
  if [ "$kind" = sqlite ]; then
    printf '.timer on\n.output /dev/null\n%s;\n' "$1" | sqlite3 "$db" | grep -o 'real [0-9.]*' | awk '{printf "%.1f\n", $2 * 1000}'
  else
    psql "$db" -Atc "EXPLAIN (ANALYZE, SUMMARY ON, TIMING OFF, COSTS OFF) $1" | grep -o 'Execution Time: [0-9.]*' | awk '{print $3}'
  fi
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $kind"
for name in coverage_open coverage_closed models_summary_grouped models_summary_correlated \
  board_office_or board_office_branches board_province_or board_province_branches; do
  best=$(for _ in 1 2 3 4 5; do time_one "${Q[$name]}"; done | sort -g | head -1)
  printf '%-28s %8s ms\n' "$name" "$best"
done
