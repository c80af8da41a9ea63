import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TierProgress } from './TierProgress';

const tiers = [
  { tier: 'BASIC', points: 0 },
  { tier: 'SILVER', points: 500 },
  { tier: 'GOLD', points: 1500 },
  { tier: 'PLATINUM', points: 5000 },
] as const;

describe('TierProgress', () => {
  it('shows the points, the tier and the way to the next tier', () => {
    render(
      <TierProgress
        points={800}
        tier="SILVER"
        nextTier={{ tier: 'GOLD', points: 1500 }}
        pointsToNextTier={700}
        progress={0.3}
        tiers={[...tiers]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Silver tier · 800 points' })).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'Progress to Gold' });
    expect(bar).toHaveAttribute('value', '30');
    expect(screen.getByText(/700 more points to Gold/)).toBeInTheDocument();
    const current = screen.getAllByRole('listitem').filter((li) => li.getAttribute('aria-current') === 'step');
    expect(current).toHaveLength(1);
    expect(current[0]).toHaveTextContent('Silver');
  });

  it('has no progress bar at the top tier', () => {
    render(<TierProgress points={6000} tier="PLATINUM" nextTier={null} pointsToNextTier={0} progress={1} tiers={[...tiers]} />);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByText(/top tier/)).toBeInTheDocument();
  });

  it('clamps a progress outside 0..1', () => {
    render(
      <TierProgress points={0} tier="BASIC" nextTier={{ tier: 'SILVER', points: 500 }} pointsToNextTier={500} progress={-0.2} tiers={[...tiers]} />,
    );
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '0');
  });
});
