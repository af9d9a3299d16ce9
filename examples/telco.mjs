// IBM's Telco churn sample as the scikit-learn reference prepares it (REFERENCE.md): the 11 rows
// with a blank TotalCharges (new customers without a bill) dropped, `Churn` as the label, the
// four numeric columns standard-scaled and the other 15 one-hot encoded (45 features).
// Runtime-neutral (takes the CSV text), so the Node demo, the report, the Deno example and the
// churn benchmark all read the data the same way.

const NUMERIC = ['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges'];

/** Records (no id, no label), 0/1 labels and the FeatureTransformer spec of the Telco CSV text. */
export function parseTelco(text) {
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = head.split(',');
  const totalCharges = header.indexOf('TotalCharges');
  const churn = header.indexOf('Churn');
  const records = [];
  const y = [];
  for (const line of lines) {
    const cells = line.split(',');
    if (cells[totalCharges].trim() === '') continue;
    const rec = {};
    header.forEach((h, j) => {
      if (h !== 'customerID' && h !== 'Churn') rec[h] = NUMERIC.includes(h) ? Number(cells[j]) : cells[j];
    });
    records.push(rec);
    y.push(cells[churn] === 'Yes' ? 1 : 0);
  }
  const spec = {
    columns: header
      .filter((h) => h !== 'customerID' && h !== 'Churn')
      .map((name) => (NUMERIC.includes(name) ? { name, type: 'numeric', scale: 'standard' } : { name, type: 'categorical', unseen: 'ignore' })),
  };
  return { records, y, spec };
}
